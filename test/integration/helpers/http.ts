/** HTTP calls against a test server: JSON in, status + parsed JSON out. */
import type { AuthResult } from '../../../protocol';

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

export interface HttpOptions {
  method?: string;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

export async function http(baseUrl: string, path: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(new URL(path, baseUrl), { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

let counter = 0;

/** A username no other test in this process uses (3-32 of a-z 0-9 _ . -). */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${process.pid % 10000}_${counter}_${Math.floor(Math.random() * 1e6)}`.slice(0, 32).toLowerCase();
}

export interface RegisteredUser extends AuthResult {
  password: string;
}

/** Registers through POST /api/v1/register; throws unless it answers 201. */
export async function registerUser(baseUrl: string, fields: { username?: string; password?: string; displayName?: string } = {}): Promise<RegisteredUser> {
  const username = fields.username ?? uniqueUsername();
  const password = fields.password ?? 'correct horse battery';
  const displayName = fields.displayName ?? `Name ${username}`;
  const result = await http(baseUrl, '/api/v1/register', { body: { username, password, displayName } });
  if (result.status !== 201) throw new Error(`register ${username}: ${result.status} ${JSON.stringify(result.body)}`);
  return { ...(result.body as AuthResult), password };
}
