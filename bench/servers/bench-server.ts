/**
 * The server side of the harness: announces the URL on stdout and answers the harness's IPC
 * requests (stats with process.cpuUsage and memory after GC, plus server-specific ones).
 */
import { isIpcRequest, URL_LINE_PREFIX, type IpcResponse, type ServerStats } from '../ipc';

export type Handler = (payload: unknown) => unknown;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  // Several passes: the first may only promote what a later one frees.
  for (let i = 0; i < 4; i++) gc();
}

export function currentStats(gc: boolean): ServerStats {
  if (gc) collectGarbage();
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers };
}

export function serveBench(url: string, handlers: Record<string, Handler>, onExit: () => Promise<void> | void): void {
  const all: Record<string, Handler> = {
    stats: (payload) => currentStats(typeof payload === 'object' && payload !== null && (payload as { gc?: unknown }).gc === true),
    ...handlers,
  };
  const reply = (response: IpcResponse) => process.send?.(response);
  process.on('message', (message: unknown) => {
    if (!isIpcRequest(message)) return;
    const handler = all[message.type];
    if (!handler) {
      reply({ kind: 'bench-response', id: message.id, ok: false, error: `unknown request ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.payload))
      .then(
        (value) => reply({ kind: 'bench-response', id: message.id, ok: true, value }),
        (error: unknown) => reply({ kind: 'bench-response', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  let exiting = false;
  const exit = () => {
    if (exiting) return;
    exiting = true;
    Promise.resolve(onExit()).finally(() => process.exit(0));
  };
  // The harness going away (or stopping us) ends the server: no orphans left on the machine.
  process.on('disconnect', exit);
  process.on('SIGTERM', exit);
  process.stdout.write(`${URL_LINE_PREFIX}${url}\n`);
}
