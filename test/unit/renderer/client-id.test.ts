import { describe, expect, it } from 'vitest';
import { clientIdSchema } from '../../../protocol/schemas';
import { newClientId } from '../../../renderer/src/lib/client-id';

describe('newClientId', () => {
  it('is a valid clientId of 32 hex digits', () => {
    const id = newClientId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(clientIdSchema.safeParse(id).success).toBe(true);
  });

  it('sorts in the order of time, across a change in the number of digits too', () => {
    const times = [0, 1, 0xfff, 0x1000, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, Date.UTC(2100, 0, 1)];
    const ids = times.map((t) => newClientId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs between ids of the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newClientId(now)));
    expect(ids.size).toBe(10_000);
  });
});
