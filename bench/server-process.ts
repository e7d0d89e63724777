/**
 * Spawns a server under test in its own process (`node --import tsx bench/servers/NAME.ts`), so
 * that the load generator's work never counts as the server's, reads its URL from stdout, and
 * asks it over IPC for its CPU time and memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { isIpcResponse, URL_LINE_PREFIX, type IpcRequest, type ServerStats } from './ipc';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The load generator runs at a higher priority than the servers it measures: on a 2-core machine
 * a server's burst would otherwise delay the generator's reads, and the figures would describe
 * the scheduler. Needs the right to raise priority (root or CAP_SYS_NICE); without it, all
 * processes stay at 0 and the loop-delay guard decides whether runs are valid.
 */
export const GENERATOR_NICE = -10;

export function trySetPriority(pid: number, nice: number): boolean {
  try {
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}

export interface ServerProcess {
  url: string;
  pid: number;
  request<T>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  stats(options?: { gc?: boolean }): Promise<ServerStats>;
  /** Messages the process sends of its own accord (not answers). */
  onMessage(listener: (message: unknown) => void): void;
  close(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Extra node flags, e.g. --expose-gc. */
  nodeArgs?: string[];
  /** A script other than bench/servers/NAME.ts, relative to the repository. */
  script?: string;
  /** Nice value of the process: 0 for servers under test, GENERATOR_NICE for generator helpers. */
  priority?: number;
  startTimeoutMs?: number;
}

/**
 * `BENCH_CPU_PROF=1` profiles every server under test into bench/data/profiles/NAME-TIME/, one
 * file per thread under Node's own names: a fixed --cpu-prof-name would let the module loader's
 * thread overwrite the main thread's profile.
 */
function profileArgs(name: string): string[] {
  if (process.env.BENCH_CPU_PROF !== '1') return [];
  return ['--cpu-prof', `--cpu-prof-dir=${REPO_ROOT}/bench/data/profiles/${name}-${Date.now()}`];
}

export function spawnServer(name: string, options: SpawnOptions = {}): Promise<ServerProcess> {
  const script = resolve(REPO_ROOT, options.script ?? `bench/servers/${name}.ts`);
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...profileArgs(name), '--import', 'tsx', script, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Children inherit the generator's raised priority; a server under test goes back to 0.
  if (child.pid !== undefined) trySetPriority(child.pid, options.priority ?? 0);
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // `BENCH_SERVER_STDERR=1` shows what the servers under test say while they run.
    if (process.env.BENCH_SERVER_STDERR === '1') process.stderr.write(`[${name}] ${chunk}`);
    stderrTail.push(chunk);
    if (stderrTail.length > 50) stderrTail.shift();
  });

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  const listeners: ((message: unknown) => void)[] = [];
  child.on('message', (message: unknown) => {
    if (!isIpcResponse(message)) {
      for (const listener of listeners) listener(message);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(`${name}: ${message.error ?? 'request failed'}`));
  });

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${name} exited (${code ?? signal}): ${stderrTail.join('').slice(-2000)}`));
    }
    pending.clear();
  });

  const request = <T>(type: string, payload: unknown = null, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolveRequest, reject) => {
      if (!child.connected) {
        reject(new Error(`${name} is not running`));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: ${type} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: (v) => resolveRequest(v as T), reject, timer });
      const message: IpcRequest = { kind: 'bench-request', id, type, payload };
      child.send(message);
    });

  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  return new Promise<ServerProcess>((resolveStart, reject) => {
    let buffered = '';
    let announced = false;
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`${name} printed no URL in time: ${stderrTail.join('').slice(-2000)}`));
    }, options.startTimeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderrTail.join('').slice(-2000)}`));
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      // Kept reading after the URL line, so a chatty server never blocks on a full pipe.
      if (announced) return;
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.startsWith(URL_LINE_PREFIX));
      if (!line) {
        if (buffered.length > 1_000_000) buffered = buffered.slice(-10_000);
        return;
      }
      clearTimeout(timer);
      announced = true;
      buffered = '';
      const url = line.slice(URL_LINE_PREFIX.length).trim();
      resolveStart({
        url,
        pid: child.pid ?? -1,
        request,
        stats: (opts) => request<ServerStats>('stats', { gc: opts?.gc ?? false }),
        onMessage: (listener) => void listeners.push(listener),
        close,
      });
    });
  });
}
