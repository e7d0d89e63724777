import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { testIdRows, testIdsTable } from '../tools/test-ids-table';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'testing.md');

test('docs/testing.md lists exactly the test ids of renderer/test-ids.ts', () => {
  const rows = testIdRows();
  expect(rows.map((row) => row.id).sort()).toEqual(Object.values(TEST_IDS).sort());
  // The table is the generated one, verbatim: regenerate it with `npx tsx test/e2e/tools/test-ids-table.ts`.
  expect(readFileSync(DOC, 'utf8')).toContain(testIdsTable(rows));
});
