/**
 * Prints the Markdown table of every test id in renderer/test-ids.ts, grouped as the file
 * groups them, for docs/testing.md: `npx tsx test/e2e/tools/test-ids-table.ts`.
 * specs/docs.spec.ts checks that the document lists every id.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'renderer', 'test-ids.ts');

export interface TestIdRow {
  group: string;
  key: string;
  id: string;
}

/** The ids in source order, each under the comment heading above it. */
export function testIdRows(source = readFileSync(SOURCE, 'utf8')): TestIdRow[] {
  const body = source.slice(source.indexOf('TEST_IDS = {'));
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

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(testIdsTable(testIdRows()));
}
