/**
 * Stops a process when the one that launched it is gone. `npm run server` and `npm start` run
 * Wanglai a few processes below npm (npm → sh → tsx → node), and a SIGTERM sent to npm alone
 * ends npm and leaves the rest running under init, holding its ports. So the chain of ancestors
 * up to the nearest npm is watched (Linux, from /proc; elsewhere, and without npm, the parent
 * alone): when any of them is gone, the process stops as if it had been told to. The chain is
 * read when this module loads, before an ancestor can die.
 */
import { readFileSync } from 'node:fs';

const MAX_DEPTH = 8;

interface ProcStat {
  state: string;
  ppid: number;
  /** Clock ticks after boot: with the pid, it names one process even after its pid is reused. */
  startTime: string;
}

/** Reads a /proc file; a parameter so that a test can make the read fail as fd exhaustion does. */
export type ProcReader = (path: string) => string;

const readProc: ProcReader = (path) => readFileSync(path, 'utf8');

/**
 * The only errors that say a process is gone: its /proc entry no longer exists (ENOENT), or it
 * exited while being read (ESRCH). Any other (EMFILE, ENFILE under fd exhaustion, EACCES) says
 * nothing about it: under fd exhaustion every read failed, and the server shut itself down.
 */
const GONE = new Set(['ENOENT', 'ESRCH']);

/** `gone` when the process does not exist; `unknown` when /proc could not be read for another reason. */
function procStat(pid: number, read: ProcReader = readProc): ProcStat | 'gone' | 'unknown' {
  let stat: string;
  try {
    stat = read(`/proc/${pid}/stat`);
  } catch (error) {
    return GONE.has((error as NodeJS.ErrnoException).code ?? '') ? 'gone' : 'unknown';
  }
  // The command name is in parentheses and may hold spaces: the fields follow the last ')',
  // from field 3 (state) on; field 4 is the parent, field 22 the start time.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').filter((arg) => arg !== '');
  } catch {
    return [];
  }
}

/** npm sets its process title (`npm run server`); run by node directly it shows npm-cli.js. */
export function looksLikeNpm(argv: readonly string[]): boolean {
  const first = argv[0] ?? '';
  return first === 'npm' || first.startsWith('npm ') || /[\\/]npm(\.cmd)?$/u.test(first) || argv.some((arg) => /[\\/]npm-cli\.js$/u.test(arg));
}

/** A process to watch: its pid and, on Linux, its start time (so a reused pid is not taken for it). */
interface Watched {
  pid: number;
  startTime?: string;
}

/** The parent, and under npm on Linux every ancestor up to and including npm. */
export function launcherChain(): number[] {
  return watchedChain().map((watched) => watched.pid);
}

function watchedChain(): Watched[] {
  const parent = process.ppid;
  const parentStat = process.platform === 'linux' ? procStat(parent) : undefined;
  const alone: Watched[] = [{ pid: parent, ...(typeof parentStat === 'object' ? { startTime: parentStat.startTime } : {}) }];
  if (process.platform !== 'linux' || process.env.npm_lifecycle_event === undefined) return alone;
  const chain: Watched[] = [];
  for (let pid = parent, depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
    const stat = procStat(pid);
    if (typeof stat !== 'object') break;
    chain.push({ pid, startTime: stat.startTime });
    if (looksLikeNpm(argvOf(pid))) return chain;
    pid = stat.ppid;
  }
  return alone;
}

const CHAIN = watchedChain();

/**
 * Running: not gone, not a zombie (ended, not yet reaped by its parent), not a reused pid. A
 * process whose /proc entry cannot be read for another reason than its absence counts as
 * running: the next tick asks again.
 */
export function stillRunning(watched: Watched, read: ProcReader = readProc): boolean {
  if (watched.startTime !== undefined) {
    const stat = procStat(watched.pid, read);
    if (stat === 'unknown') return true;
    return stat !== 'gone' && stat.state !== 'Z' && stat.state !== 'X' && stat.startTime === watched.startTime;
  }
  try {
    process.kill(watched.pid, 0);
    return true;
  } catch (error) {
    // Only ESRCH says it is gone (EPERM: it exists, owned by someone else).
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Calls `stop` once, within about a second of the parent or an ancestor up to npm going away. */
export function stopWhenLauncherGone(stop: () => void): void {
  const parent = CHAIN[0]?.pid;
  const timer = setInterval(() => {
    if (process.ppid === parent && CHAIN.every((watched) => stillRunning(watched))) return;
    clearInterval(timer);
    stop();
  }, 1000);
  timer.unref();
}
