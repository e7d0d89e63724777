import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/chat/rate-limiter';
import { hashPassword, verifyPassword } from '../../../server/chat/passwords';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perSecond: 1 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now = 999;
    expect(limiter.take('a')).toBe(false);
    now = 2000;
    expect(limiter.take('a')).toBe(true);
  });

  it('charges below zero so that a flood stays locked out longer', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, () => now);
    for (let i = 0; i < 4; i++) limiter.charge('x');
    now = 2000;
    expect(limiter.allows('x')).toBe(false);
    now = 4000;
    expect(limiter.allows('x')).toBe(true);
  });
});

describe('passwords', () => {
  it('verifies the right password only, with a per-hash salt', async () => {
    const cost = { N: 1024, r: 8, p: 1 };
    const one = await hashPassword('密码 password', cost);
    const two = await hashPassword('密码 password', cost);
    expect(one).not.toBe(two);
    expect(await verifyPassword('密码 password', one)).toBe(true);
    expect(await verifyPassword('密码 passwore', one)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});
