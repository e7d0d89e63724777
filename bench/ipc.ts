/** Messages between the harness and a bench server process over the Node IPC channel. */

export interface ServerStats {
  /** process.cpuUsage() of the server, microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface IpcRequest {
  kind: 'bench-request';
  id: number;
  type: string;
  payload: unknown;
}

export interface IpcResponse {
  kind: 'bench-response';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export function isIpcRequest(value: unknown): value is IpcRequest {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'bench-request';
}

export function isIpcResponse(value: unknown): value is IpcResponse {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'bench-response';
}

/** The line a bench server prints on stdout once it listens. */
export const URL_LINE_PREFIX = 'BENCH_URL ';
