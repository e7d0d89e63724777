import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { testIdAttributesTable, testIdRows, testIdsTable } from '../tools/test-ids-table';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'testing.md');

// Both tables are the generated ones, verbatim: regenerate them with `npx tsx test/e2e/tools/test-ids-table.ts`.
test('docs/testing.md lists exactly the test ids of renderer/test-ids.ts', () => {
  const rows = testIdRows();
  expect(rows.map((row) => row.id).sort()).toEqual(Object.values(TEST_IDS).sort());
  expect(readFileSync(DOC, 'utf8')).toContain(testIdsTable(rows));
});

// What the attributes are is checked against the rendered components by test/unit/renderer/test-id-attributes.test.tsx.
test('docs/testing.md describes exactly the data attributes of renderer/test-ids.ts', () => {
  expect(readFileSync(DOC, 'utf8')).toContain(testIdAttributesTable());
});
