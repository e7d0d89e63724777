/**
 * Prints the two generated tables of docs/testing.md from renderer/test-ids.ts: every test id,
 * grouped as the file groups them, and every data attribute QA can read besides the id:
 * `npx tsx test/e2e/tools/test-ids-table.ts`. specs/docs.spec.ts checks that the document holds
 * both verbatim.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_ID_ATTRIBUTES, type TestIdAttribute } from '../../../renderer/test-ids';

const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'renderer', 'test-ids.ts');

export interface TestIdRow {
  group: string;
  key: string;
  id: string;
}

/** The ids in source order, each under the comment heading above it. */
export function testIdRows(source = readFileSync(SOURCE, 'utf8')): TestIdRow[] {
  const start = source.indexOf('TEST_IDS = {');
  // Only the object itself: what follows it (TEST_ID_ATTRIBUTES) has lines of the same shape.
  const body = source.slice(start, source.indexOf('\n} as const;', start));
  const rows: TestIdRow[] = [];
  let group = 'App';
  for (const line of body.split('\n')) {
    const heading = /^\s*\/\/\s*(.+)$/.exec(line);
    if (heading?.[1] !== undefined) group = heading[1].split(';')[0]?.trim() ?? group;
    const entry = /^\s*(\w+):\s*'([^']+)',/.exec(line);
    if (entry?.[1] !== undefined && entry[2] !== undefined) rows.push({ group, key: entry[1], id: entry[2] });
  }
  return rows;
}

export function testIdsTable(rows: readonly TestIdRow[]): string {
  const lines = ['| group | `TEST_IDS.` key | `data-testid` |', '|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.group} | \`${row.key}\` | \`${row.id}\` |`);
  return lines.join('\n');
}

export function testIdAttributesTable(attributes: readonly TestIdAttribute[] = TEST_ID_ATTRIBUTES): string {
  const lines = ['| `data-testid` | attribute | values |', '|---|---|---|'];
  for (const { id, attribute, values, meaning } of attributes) {
    const listed = values === undefined ? '' : `${values.map((value) => `\`${value}\``).join(', ')} — `;
    lines.push(`| \`${id}\` | \`${attribute}\` | ${listed}${meaning} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(testIdAttributesTable());
  console.log();
  console.log(testIdsTable(testIdRows()));
}
