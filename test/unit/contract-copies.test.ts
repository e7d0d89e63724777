/**
 * The repository carries the contract (protocol/PROTOCOL.md) and the design card (docs/DESIGN.md)
 * so that every "PROTOCOL.md §n" and "DESIGN.md §n" in code and docs can be read from a clone.
 * Where the originals sit beside the checkout (../shared), the copies must be exactly them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = path.resolve(ROOT, '..', 'shared');

describe('contract copies', () => {
  for (const [copy, original] of [
    ['protocol/PROTOCOL.md', 'PROTOCOL.md'],
    ['docs/DESIGN.md', 'DESIGN.md'],
  ] as const) {
    // Skipped in a clone without the originals beside it: there is nothing to compare with.
    it.skipIf(!existsSync(path.join(SHARED, original)))(`${copy} is ../shared/${original} verbatim`, () => {
      expect(readFileSync(path.join(ROOT, copy), 'utf8')).toBe(readFileSync(path.join(SHARED, original), 'utf8'));
    });
  }
});
