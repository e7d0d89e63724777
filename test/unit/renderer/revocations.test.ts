// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpResult } from '../../../renderer/src/wire/http-api';
import { pendingRevocations, rememberRevocation, revocationSettled, revokePending } from '../../../renderer/src/wire/revocations';

afterEach(() => localStorage.clear());

const SERVER = 'https://chat.example';
const OTHER = 'https://other.example';

/** A stand-in for logout(): answers per token, and records what was sent where. */
function fakeLogout(answers: Record<string, HttpResult<void>>) {
  const sent: string[] = [];
  const logout = (serverUrl: string, token: string): Promise<HttpResult<void>> => {
    sent.push(`${serverUrl} ${token}`);
    return Promise.resolve(answers[token] ?? { ok: false, code: 'network' });
  };
  return { logout, sent };
}

describe('tokens waiting to be revoked', () => {
  it('are kept apart from the session, once each, the latest ten at most', () => {
    rememberRevocation({ serverUrl: SERVER, token: 't1' });
    rememberRevocation({ serverUrl: SERVER, token: 't1' });
    expect(pendingRevocations()).toEqual([{ serverUrl: SERVER, token: 't1' }]);
    expect(localStorage.getItem('wanglai.session')).toBeNull();
    for (let i = 2; i <= 12; i += 1) rememberRevocation({ serverUrl: SERVER, token: `t${i}` });
    expect(pendingRevocations().map((e) => e.token)).toEqual(['t3', 't4', 't5', 't6', 't7', 't8', 't9', 't10', 't11', 't12']);
  });

  it('read as empty from a damaged or foreign value, and skip entries of the wrong shape', () => {
    localStorage.setItem('wanglai.revoke', '{not json');
    expect(pendingRevocations()).toEqual([]);
    localStorage.setItem('wanglai.revoke', JSON.stringify([{ serverUrl: SERVER, token: 't1' }, { serverUrl: SERVER }, 'x', { serverUrl: SERVER, token: '' }]));
    expect(pendingRevocations()).toEqual([{ serverUrl: SERVER, token: 't1' }]);
  });

  it('are settled by any success and by 401 (the session is gone already), not by a network error, a timeout or a server error', () => {
    expect(revocationSettled({ ok: true, value: undefined })).toBe(true);
    expect(revocationSettled({ ok: false, code: 'unauthorized' })).toBe(true);
    expect(revocationSettled({ ok: false, code: 'network' })).toBe(false);
    expect(revocationSettled({ ok: false, code: 'timeout' })).toBe(false);
    expect(revocationSettled({ ok: false, code: 'internal' })).toBe(false);
    expect(revocationSettled({ ok: false, code: 'rate_limited' })).toBe(false);
  });

  it('are sent to the server that issued them only, and dropped once it answered; the others wait for the next try', async () => {
    rememberRevocation({ serverUrl: SERVER, token: 'ended' });
    rememberRevocation({ serverUrl: SERVER, token: 'gone-already' });
    rememberRevocation({ serverUrl: SERVER, token: 'unreachable' });
    rememberRevocation({ serverUrl: OTHER, token: 'elsewhere' });
    const { logout, sent } = fakeLogout({ ended: { ok: true, value: undefined }, 'gone-already': { ok: false, code: 'unauthorized' } });
    await revokePending(SERVER, logout);
    expect(sent).toEqual([`${SERVER} ended`, `${SERVER} gone-already`, `${SERVER} unreachable`]);
    expect(pendingRevocations()).toEqual([
      { serverUrl: SERVER, token: 'unreachable' },
      { serverUrl: OTHER, token: 'elsewhere' },
    ]);

    const later = fakeLogout({ unreachable: { ok: true, value: undefined } });
    await revokePending(SERVER, later.logout);
    expect(pendingRevocations()).toEqual([{ serverUrl: OTHER, token: 'elsewhere' }]);
    await revokePending(OTHER, later.logout);
    expect(pendingRevocations()).toEqual([{ serverUrl: OTHER, token: 'elsewhere' }]);
    expect(localStorage.getItem('wanglai.revoke')).not.toBeNull();
  });

  it('run one after another when two triggers come at once, and keep a token remembered meanwhile', async () => {
    rememberRevocation({ serverUrl: SERVER, token: 't1' });
    const { logout, sent } = fakeLogout({ t1: { ok: true, value: undefined }, t2: { ok: true, value: undefined } });
    const first = revokePending(SERVER, logout);
    rememberRevocation({ serverUrl: SERVER, token: 't2' });
    const second = revokePending(SERVER, logout);
    await Promise.all([first, second]);
    expect(sent).toEqual([`${SERVER} t1`, `${SERVER} t2`]);
    expect(pendingRevocations()).toEqual([]);
    expect(localStorage.getItem('wanglai.revoke')).toBeNull();
  });
});
