// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKeyFor, rememberDeviceKey } from '../../../renderer/src/wire/device-keys';

afterEach(() => localStorage.clear());

const SERVER = 'https://chat.example';

describe('device keys', () => {
  it('keeps one key per server and account, whatever the case of the name typed, the newest replacing the last', () => {
    rememberDeviceKey(SERVER, 'ann', 'k1');
    rememberDeviceKey('https://other.example', 'ann', 'k2');
    expect(deviceKeyFor(SERVER, ' Ann ')).toBe('k1');
    expect(deviceKeyFor('https://other.example', 'ann')).toBe('k2');
    expect(deviceKeyFor(SERVER, 'bob')).toBeUndefined();
    rememberDeviceKey(SERVER, 'ann', 'k3');
    expect(deviceKeyFor(SERVER, 'ann')).toBe('k3');
  });

  it('keeps the 20 accounts signed in to last, and survives a store that is not its own', () => {
    for (let i = 0; i < 25; i++) rememberDeviceKey(SERVER, `user${i}`, `key${i}`);
    expect(deviceKeyFor(SERVER, 'user4')).toBeUndefined();
    expect(deviceKeyFor(SERVER, 'user5')).toBe('key5');
    expect(deviceKeyFor(SERVER, 'user24')).toBe('key24');
    localStorage.setItem('wanglai.deviceKeys', '{not json');
    expect(deviceKeyFor(SERVER, 'user5')).toBeUndefined();
    rememberDeviceKey(SERVER, 'ann', 'k1');
    expect(deviceKeyFor(SERVER, 'ann')).toBe('k1');
  });
});
