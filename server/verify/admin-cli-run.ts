/** One admin command line run end to end: read, checked, sent, and its answer printed. */
import { USAGE, UsageError, parseCommandLine } from './admin-cli-args';
import { adminToken, checkTokenTransport, serviceUrl } from './admin-cli-target';

export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

type Env = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one command line; returns the exit code. */
export async function runAdminCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let line;
  try {
    line = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (line.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const { request, flags } = line;
  let url: string;
  const headers: Record<string, string> = request.body !== undefined ? { 'content-type': 'application/json' } : {};
  try {
    url = serviceUrl(request.service, flags, env) + request.path;
    if (request.authorized) {
      checkTokenTransport(url, env);
      headers.authorization = `Bearer ${await adminToken(flags.token, env)}`;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.usage;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    io.err(`error: cannot reach ${url}: ${fetchFailure(error)}`);
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

/** fetch says only "fetch failed": why (refused, no such host, reset) is in its cause. */
function fetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? causeText(error.cause) : '';
  return cause === '' ? error.message : `${error.message} (${cause})`;
}

function causeText(cause: Error): string {
  if (cause.message !== '') return cause.message;
  // A name with several addresses fails with one error per address and an empty message.
  if (cause instanceof AggregateError) return cause.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  return 'code' in cause ? String(cause.code) : cause.name;
}
