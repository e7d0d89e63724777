/** The admin CLI's command line (`npm run admin -- ...`) read into the one HTTP request it stands for. */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run admin -- COMMAND [ARGS] [OPTIONS]

Commands:
  merchants add --name NAME --domain DOMAIN [--domain DOMAIN ...] [--status STATUS]
                                 create a merchant (status: verified, pending, suspended; default pending)
  merchants update ID [--name NAME] [--domain DOMAIN ...] [--status STATUS]
                                 change a merchant; --domain replaces the whole list
  merchants show ID              print a merchant (needs no token)
  blocklist add DOMAIN --reason TEXT
                                 block a domain and every host under it
  blocklist remove DOMAIN        take a domain off the blocklist
  link-user USERNAME MERCHANT_ID link a chat user to a merchant (chat server)

Options (each at most once; --domain may repeat):
  --verify-url URL   verification service (env WANGLAI_VERIFY_URL, default
                     http://WANGLAI_HOST:WANGLAI_VERIFY_PORT, i.e. http://127.0.0.1:3211)
  --chat-url URL     chat server (env WANGLAI_CHAT_URL, default http://WANGLAI_HOST:WANGLAI_PORT,
                     i.e. http://127.0.0.1:3210)
  --token TOKEN      admin token (env WANGLAI_ADMIN_TOKEN, else the token file in WANGLAI_DATA_DIR,
                     default ./data)
  -h, --help         this text

The token goes over plain http only to this computer (localhost, 127.0.0.0/8, [::1], and
0.0.0.0 or [::], which reach it); for another host use https, or set
WANGLAI_ALLOW_INSECURE_SERVER=1 on a test machine.

Exit codes: 0 done; 1 refused by the service (its error code is printed); 2 usage error;
3 service unreachable.`;

export class UsageError extends Error {}

export interface AdminRequest {
  service: 'verify' | 'chat';
  method: string;
  path: string;
  body?: unknown;
  /** Whether the admin token goes with it: reading a merchant is public (PROTOCOL.md §4). */
  authorized: boolean;
}

/** What the command line says about where the services are and which token to use. */
export interface TargetFlags {
  verifyUrl: string | undefined;
  chatUrl: string | undefined;
  token: string | undefined;
}

export type CommandLine = { help: true } | { help: false; request: AdminRequest; flags: TargetFlags };

const OPTIONS = {
  name: { type: 'string' },
  domain: { type: 'string', multiple: true },
  status: { type: 'string' },
  reason: { type: 'string' },
  'verify-url': { type: 'string' },
  'chat-url': { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const STATUSES = ['verified', 'pending', 'suspended'];
const SUBCOMMANDS: Readonly<Record<string, string>> = { merchants: 'add, update or show', blocklist: 'add or remove' };

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

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals, tokens } = parse(argv);
  // parseArgs lets the last of a repeated option win: `--status verified --status suspended`
  // would do one of two things the operator typed without a word.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === 'domain') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  if (values.help) return { help: true };
  checkText(values, positionals);
  return { help: false, request: requestFor(positionals, values), flags: { verifyUrl: values['verify-url'], chatUrl: values['chat-url'], token: values.token } };
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, tokens: true, options: OPTIONS });
  } catch (error) {
    // parseArgs says what is wrong (an unknown option, one without its value) in a TypeError.
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Node turns bytes of argv that are not UTF-8 into U+FFFD: stored, the name or reason would
 * show replacement characters where the operator typed something else.
 */
function checkText(values: CommandValues, positionals: readonly string[]): void {
  const texts: [string, readonly string[]][] = [
    ['--name', values.name === undefined ? [] : [values.name]],
    ['--reason', values.reason === undefined ? [] : [values.reason]],
    ['--domain', values.domain ?? []],
    ['an argument', positionals],
  ];
  for (const [what, list] of texts) {
    if (list.some((text) => text.includes('\uFFFD'))) throw new UsageError(`${what} is not valid UTF-8 (it holds U+FFFD)`);
  }
}

function statusOption(value: string | undefined): string | undefined {
  if (value !== undefined && !STATUSES.includes(value)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  return value;
}

function one(positionals: readonly string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

function checkShape(command: string, positionals: readonly string[], values: CommandValues): void {
  const shape = SHAPES[command];
  if (shape === undefined) return;
  const extra = positionals.slice(shape.positionals);
  if (extra.length > 0) throw new UsageError(`${command} takes no further argument, got "${extra.join(' ')}"`);
  for (const option of ['name', 'domain', 'status', 'reason'] as const) {
    if (values[option] !== undefined && !shape.options.includes(option)) throw new UsageError(`${command} takes no --${option}`);
  }
}

function requestFor(positionals: readonly string[], values: CommandValues): AdminRequest {
  const [group, action] = positionals;
  const subcommands = group === undefined ? undefined : SUBCOMMANDS[group];
  if (subcommands !== undefined && action === undefined) throw new UsageError(`${group} needs a subcommand: ${subcommands}`);
  const command = group === 'link-user' ? group : `${group ?? ''} ${action ?? ''}`.trim();
  checkShape(command, positionals, values);
  switch (command) {
    case 'merchants add': {
      if (values.name === undefined) throw new UsageError('merchants add needs --name');
      if (!values.domain?.length) throw new UsageError('merchants add needs at least one --domain');
      const body = { name: values.name, domains: values.domain, status: statusOption(values.status) ?? 'pending' };
      return { service: 'verify', method: 'POST', path: '/v1/merchants', body, authorized: true };
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
      return { service: 'verify', method: 'PATCH', path: `/v1/merchants/${encodeURIComponent(id)}`, body, authorized: true };
    }
    case 'merchants show':
      return { service: 'verify', method: 'GET', path: `/v1/merchants/${encodeURIComponent(one(positionals, 2, 'merchant id'))}`, authorized: false };
    case 'blocklist add': {
      if (values.reason === undefined) throw new UsageError('blocklist add needs --reason');
      return { service: 'verify', method: 'POST', path: '/v1/blocklist', body: { domain: one(positionals, 2, 'domain'), reason: values.reason }, authorized: true };
    }
    case 'blocklist remove':
      return { service: 'verify', method: 'DELETE', path: `/v1/blocklist/${encodeURIComponent(one(positionals, 2, 'domain'))}`, authorized: true };
    case 'link-user':
      return {
        service: 'chat',
        method: 'POST',
        path: '/api/v1/admin/merchant-links',
        body: { username: one(positionals, 1, 'username'), merchantId: one(positionals, 2, 'merchant id') },
        authorized: true,
      };
    default:
      throw new UsageError(command === '' ? 'missing command' : `unknown command "${command}"`);
  }
}
