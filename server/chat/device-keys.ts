/**
 * Device keys: proof that a login comes from a device that signed in to this account before
 * (OWASP's "device cookies"). The per-username login limits (accounts.ts) stop password
 * guessing spread over many addresses, but let anyone hold an account's sign-in shut with a wrong
 * password every 30 s. A login that presents a key this server gave that user, at registration or
 * at an earlier successful login, is counted by that key instead of by the username, so such an
 * attacker cannot lock out devices the user already signed in on; guessing with a stolen key is
 * still limited, by the key.
 *
 * A key is `v1.USERID.ISSUED.MAC`: MAC an HMAC-SHA-256 of the rest under a secret kept in the data
 * directory, so that keys outlive restarts, and nothing is stored per key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openingDataFile } from '../store/data-file-error';

/** How long a key proves its device: a device that does not sign in for half a year is new again. */
export const DEVICE_KEY_MAX_AGE_MS = 180 * 24 * 3600 * 1000;

const SECRET_FILE = 'device-keys.secret';
const SECRET_PATTERN = /^[0-9a-fA-F]{64}$/;

export interface DeviceProof {
  userId: string;
  /** The key's MAC: what the key's own limits are keyed by. */
  id: string;
}

export class DeviceKeys {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = DEVICE_KEY_MAX_AGE_MS,
  ) {
    if (secret.length < 32) throw new Error('a device key secret has at least 256 bits');
  }

  issue(userId: string): string {
    const body = `v1.${userId}.${this.now().toString(36)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The user a key was issued to, if this server issued it and it has not expired; anything else is no proof. */
  verify(key: string): DeviceProof | undefined {
    const parts = key.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
    const [, userId = '', issuedText = '', given = ''] = parts;
    const expected = this.mac(`v1.${userId}.${issuedText}`);
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
    const issued = parseInt(issuedText, 36);
    const age = this.now() - issued;
    if (!Number.isSafeInteger(issued) || age < 0 || age > this.maxAgeMs) return undefined;
    return { userId, id: expected };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body, 'utf8').digest('base64url');
  }
}

/**
 * The secret of `dataDir`, made on first use. A file that is not a secret (cut short, edited) is
 * replaced: the keys it signed stop proving anything, and their devices sign in as new ones.
 */
export function loadDeviceKeySecret(dataDir: string, warn: (line: string) => void): Buffer {
  const file = path.join(dataDir, SECRET_FILE);
  // A secret that cannot be read or written (a directory in its place) stops the start naming it.
  return openingDataFile(file, () => readOrMakeSecret(file, warn));
}

function readOrMakeSecret(file: string, warn: (line: string) => void): Buffer {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined && SECRET_PATTERN.test(text)) return Buffer.from(text, 'hex');
  if (text !== undefined) warn(`${file} does not hold a device key secret; making a new one (devices sign in as new ones)`);
  const secret = randomBytes(32);
  // Written whole to a temporary file, then renamed: a crash leaves the old file or the new one.
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${secret.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  return secret;
}
