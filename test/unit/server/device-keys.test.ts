import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_KEY_MAX_AGE_MS, DeviceKeys, loadDeviceKeySecret } from '../../../server/chat/device-keys';

describe('DeviceKeys', () => {
  const secret = randomBytes(32);
  let now = 1_700_000_000_000;
  const keys = new DeviceKeys(secret, () => now);

  it('proves the user it was issued to until it is half a year old', () => {
    const key = keys.issue('user-1');
    expect(keys.verify(key)).toMatchObject({ userId: 'user-1' });
    now += DEVICE_KEY_MAX_AGE_MS;
    expect(keys.verify(key)?.userId).toBe('user-1');
    now += 1;
    expect(keys.verify(key)).toBeUndefined();
  });

  it('proves nothing when altered, signed under another secret, or not a key at all', () => {
    const key = keys.issue('user-1');
    const [version, userId, issued, mac] = key.split('.');
    expect(keys.verify(`${version}.user-2.${issued}.${mac}`)).toBeUndefined();
    expect(keys.verify(`${version}.${userId}.${(parseInt(issued ?? '', 36) + 1).toString(36)}.${mac}`)).toBeUndefined();
    expect(keys.verify(`v2.${userId}.${issued}.${mac}`)).toBeUndefined();
    expect(new DeviceKeys(randomBytes(32), () => now).verify(key)).toBeUndefined();
    for (const junk of ['', '.', 'v1...', `${key}.`, `${key}x`, key.slice(0, -1), 'v1.a.b.c', `v1.${userId}.zzzzzzzzzzzzzzzzzz.${mac}`]) expect(keys.verify(junk)).toBeUndefined();
  });
});

describe('loadDeviceKeySecret', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('makes a secret readable by its owner only, keeps it across starts, and replaces one that is not a secret', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-device-keys-'));
    const warnings: string[] = [];
    const first = loadDeviceKeySecret(dataDir, (line) => warnings.push(line));
    const file = path.join(dataDir, 'device-keys.secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(loadDeviceKeySecret(dataDir, (line) => warnings.push(line)).equals(first)).toBe(true);
    expect(warnings).toEqual([]);
    // Upper-case hex, as an operator might paste it, is the same secret.
    await writeFile(file, first.toString('hex').toUpperCase());
    expect(loadDeviceKeySecret(dataDir, (line) => warnings.push(line)).equals(first)).toBe(true);
    expect(warnings).toEqual([]);
    await writeFile(file, 'cut sho');
    const replaced = loadDeviceKeySecret(dataDir, (line) => warnings.push(line));
    expect(replaced.equals(first)).toBe(false);
    expect(replaced.length).toBe(32);
    expect(warnings).toHaveLength(1);
    expect((await readFile(file, 'utf8')).trim()).toBe(replaced.toString('hex'));
  });
});
