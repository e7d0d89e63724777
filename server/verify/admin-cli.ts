/**
 * `npm run admin -- ...`: the administrator's client of both admin APIs — merchants and the
 * blocklist of the verification service (PROTOCOL.md §4), and linking a chat user to a
 * merchant on the chat server (§2). It only speaks HTTP; it never opens a database and never
 * writes a file: the admin token is read, never made (the server makes it at its first start).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { readStoredAdminToken } from '../config';

const USAGE = `Usage: npm run admin -- COMMAND [ARGS] [OPTIONS]

Commands:
  merchants add --name NAME --domain DOMAIN [--domain DOMAIN ...] [--status STATUS]
                                 create a merchant (status: verified, pending, suspended; default pending)
  merchants update ID [--name NAME] [--domain DOMAIN ...] [--status STATUS]
                                 change a merchant; --domain replaces the whole list
  merchants show ID              print a merchant
  blocklist add DOMAIN --reason TEXT
                                 block a domain and every host under it
  blocklist remove DOMAIN        take a domain off the blocklist
  link-user USERNAME MERCHANT_ID link a chat user to a merchant (chat server)

Options:
  --verify-url URL   verification service (env WANGLAI_VERIFY_URL, default
                     http://WANGLAI_HOST:WANGLAI_VERIFY_PORT, i.e. http://127.0.0.1:3211)
  --chat-url URL     chat server (env WANGLAI_CHAT_URL, default http://WANGLAI_HOST:WANGLAI_PORT,
                     i.e. http://127.0.0.1:3210)
  --token TOKEN      admin token (env WANGLAI_ADMIN_TOKEN, else the token file in WANGLAI_DATA_DIR,
                     default ./data)
  -h, --help         this text

Exit codes: 0 done; 1 refused by the service (its error code is printed); 2 usage error;
3 service unreachable.`;

const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

type Env = Readonly<Record<string, string | undefined>>;

class UsageError extends Error {}

interface Request {
  service: 'verify' | 'chat';
  method: string;
  path: string;
  body?: unknown;
}

const STATUSES = ['verified', 'pending', 'suspended'];

function statusOption(value: string | undefined): string | undefined {
  if (value !== undefined && !STATUSES.includes(value)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  return value;
}

function one(positionals: readonly string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

type CommandValues = { name?: string | undefined; domain?: string[] | undefined; status?: string | undefined; reason?: string | undefined };

/** Each command's words and arguments in all, and the command options it takes; anything more is a usage error. */
const SHAPES: Readonly<Record<string, { positionals: number; options: readonly (keyof CommandValues)[] }>> = {
  'merchants add': { positionals: 2, options: ['name', 'domain', 'status'] },
  'merchants update': { positionals: 3, options: ['name', 'domain', 'status'] },
  'merchants show': { positionals: 3, options: [] },
  'blocklist add': { positionals: 3, options: ['reason'] },
  'blocklist remove': { positionals: 3, options: [] },
  'link-user': { positionals: 3, options: [] },
};

function checkShape(command: string, positionals: readonly string[], values: CommandValues): void {
  const shape = SHAPES[command];
  if (shape === undefined) return;
  const extra = positionals.slice(shape.positionals);
  if (extra.length > 0) throw new UsageError(`${command} takes no further argument, got "${extra.join(' ')}"`);
  for (const option of ['name', 'domain', 'status', 'reason'] as const) {
    if (values[option] !== undefined && !shape.options.includes(option)) throw new UsageError(`${command} takes no --${option}`);
  }
}

/** The HTTP request a command line stands for. */
function requestFor(positionals: readonly string[], values: CommandValues): Request {
  const [group, action] = positionals;
  const command = group === 'link-user' ? group : `${group ?? ''} ${action ?? ''}`.trim();
  checkShape(command, positionals, values);
  switch (command) {
    case 'merchants add': {
      if (values.name === undefined) throw new UsageError('merchants add needs --name');
      if (!values.domain?.length) throw new UsageError('merchants add needs at least one --domain');
      return { service: 'verify', method: 'POST', path: '/v1/merchants', body: { name: values.name, domains: values.domain, status: statusOption(values.status) ?? 'pending' } };
    }
    case 'merchants update': {
      const id = one(positionals, 2, 'merchant id');
      const status = statusOption(values.status);
      const body = {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.domain?.length ? { domains: values.domain } : {}),
        ...(status !== undefined ? { status } : {}),
      };
      if (Object.keys(body).length === 0) throw new UsageError('merchants update needs --name, --domain or --status');
      return { service: 'verify', method: 'PATCH', path: `/v1/merchants/${encodeURIComponent(id)}`, body };
    }
    case 'merchants show':
      return { service: 'verify', method: 'GET', path: `/v1/merchants/${encodeURIComponent(one(positionals, 2, 'merchant id'))}` };
    case 'blocklist add': {
      if (values.reason === undefined) throw new UsageError('blocklist add needs --reason');
      return { service: 'verify', method: 'POST', path: '/v1/blocklist', body: { domain: one(positionals, 2, 'domain'), reason: values.reason } };
    }
    case 'blocklist remove':
      return { service: 'verify', method: 'DELETE', path: `/v1/blocklist/${encodeURIComponent(one(positionals, 2, 'domain'))}` };
    case 'link-user':
      return {
        service: 'chat',
        method: 'POST',
        path: '/api/v1/admin/merchant-links',
        body: { username: one(positionals, 1, 'username'), merchantId: one(positionals, 2, 'merchant id') },
      };
    default:
      throw new UsageError(command === '' ? 'missing command' : `unknown command "${command}"`);
  }
}

function baseUrl(flag: string | undefined, fallback: string, name: string): string {
  const raw = flag ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${name} is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

async function adminToken(flag: string | undefined, env: Env): Promise<string> {
  if (flag !== undefined) return flag;
  const configured = nonEmpty(env.WANGLAI_ADMIN_TOKEN);
  if (configured !== undefined) return configured;
  const dataDir = path.resolve(nonEmpty(env.WANGLAI_DATA_DIR) ?? './data');
  let stored: string | undefined;
  try {
    stored = await readStoredAdminToken(dataDir);
  } catch (error) {
    throw new UsageError(`cannot read the admin token in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (stored === undefined) {
    throw new UsageError(`no admin token is stored in ${dataDir}: pass --token, set WANGLAI_ADMIN_TOKEN, or point WANGLAI_DATA_DIR at the server's data directory`);
  }
  return stored;
}

/** http://HOST:PORT of the chat server as `npm run server` binds it (an IPv6 host in brackets). */
/** The server's own variables name where `npm run server` listens: the CLI finds it the same way. */
function urlFromServerEnv(env: Env, port: string): string {
  const host = nonEmpty(env.WANGLAI_HOST) ?? '127.0.0.1';
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

function chatUrlFromServerEnv(env: Env): string {
  return urlFromServerEnv(env, nonEmpty(env.WANGLAI_PORT) ?? '3210');
}

/** The embedded service binds WANGLAI_HOST too (server/main.ts). */
function verifyUrlFromServerEnv(env: Env): string {
  return urlFromServerEnv(env, nonEmpty(env.WANGLAI_VERIFY_PORT) ?? '3211');
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one command line; returns the exit code. */
export async function runAdminCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let request: Request;
  let options: { verifyUrl: string; chatUrl: string; token: string | undefined };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        domain: { type: 'string', multiple: true },
        status: { type: 'string' },
        reason: { type: 'string' },
        'verify-url': { type: 'string' },
        'chat-url': { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    request = requestFor(positionals, values);
    // Empty variables count as unset, as they do for the server.
    options = {
      verifyUrl: baseUrl(values['verify-url'], nonEmpty(env.WANGLAI_VERIFY_URL) ?? verifyUrlFromServerEnv(env), 'the verification service URL'),
      chatUrl: baseUrl(values['chat-url'], nonEmpty(env.WANGLAI_CHAT_URL) ?? chatUrlFromServerEnv(env), 'the chat server URL'),
      token: values.token,
    };
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    io.err(`error: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }

  let token: string;
  try {
    token = await adminToken(options.token, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.usage;
  }
  const url = (request.service === 'verify' ? options.verifyUrl : options.chatUrl) + request.path;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    io.err(`error: cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unreachable;
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const error = typeof body === 'object' && body !== null && 'error' in body ? (body.error as { code?: unknown; message?: unknown }) : undefined;
    io.err(`error: ${response.status} ${String(error?.code ?? 'unknown')}: ${String(error?.message ?? text)}`);
    return EXIT.refused;
  }
  io.out(body === null ? 'done' : JSON.stringify(body, null, 2));
  return EXIT.ok;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  runAdminCli(process.argv.slice(2), process.env, { out: (text) => console.log(text), err: (text) => console.error(text) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('error:', error);
      process.exitCode = EXIT.unreachable;
    },
  );
}
