/** The chat server's HTTP API (PROTOCOL.md §2): errors come back as values, never thrown. */
import { isErrorCode } from '../../../protocol/errors';
import type { AuthResult, User } from '../../../protocol';
import type { ClientErrorCode } from '../store/chat-state';

export type HttpResult<T> = { ok: true; value: T } | { ok: false; code: ClientErrorCode };

const TIMEOUT_MS = 15_000;

async function call<T>(serverUrl: string, path: string, init: RequestInit, token?: string): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS), credentials: 'omit' });
  } catch (error) {
    return { ok: false, code: error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'network' };
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, code: response.ok ? 'internal' : codeForStatus(response.status) };
  }
  if (response.ok) return { ok: true, value: body as T };
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return { ok: false, code: isErrorCode(code) ? code : codeForStatus(response.status) };
}

function codeForStatus(status: number): ClientErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  if (status === 400) return 'invalid_input';
  return 'internal';
}

export function register(serverUrl: string, username: string, password: string, displayName: string): Promise<HttpResult<AuthResult>> {
  return call(serverUrl, '/api/v1/register', { method: 'POST', body: JSON.stringify({ username, password, displayName }) });
}

/** `deviceKey`: the one an earlier sign-in to this account gave this device (device-keys.ts). */
export function login(serverUrl: string, username: string, password: string, deviceKey?: string): Promise<HttpResult<AuthResult>> {
  return call(serverUrl, '/api/v1/login', { method: 'POST', body: JSON.stringify(deviceKey === undefined ? { username, password } : { username, password, deviceKey }) });
}

export function logout(serverUrl: string, token: string): Promise<HttpResult<void>> {
  return call(serverUrl, '/api/v1/logout', { method: 'POST' }, token);
}

export async function me(serverUrl: string, token: string): Promise<HttpResult<User>> {
  const result = await call<{ user: User }>(serverUrl, '/api/v1/me', { method: 'GET' }, token);
  return result.ok ? { ok: true, value: result.value.user } : result;
}
