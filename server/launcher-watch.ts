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

interface ProcInfo {
  ppid: number;
  argv: string[];
}

function procInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').filter((arg) => arg !== '');
    return { ppid: Number(fields[1]), argv };
  } catch {
    return undefined;
  }
}

/** npm sets its process title (`npm run server`); run by node directly it shows npm-cli.js. */
export function looksLikeNpm(argv: readonly string[]): boolean {
  const first = argv[0] ?? '';
  return first === 'npm' || first.startsWith('npm ') || /[\\/]npm(\.cmd)?$/u.test(first) || argv.some((arg) => /[\\/]npm-cli\.js$/u.test(arg));
}

/** The parent, and under npm on Linux every ancestor up to and including npm. */
export function launcherChain(): number[] {
  const parent = process.ppid;
  if (process.platform !== 'linux' || process.env.npm_lifecycle_event === undefined) return [parent];
  const chain: number[] = [];
  for (let pid = parent, depth = 0; pid > 1 && depth < MAX_DEPTH; depth++) {
    const info = procInfo(pid);
    if (info === undefined) break;
    chain.push(pid);
    if (looksLikeNpm(info.argv)) return chain;
    pid = info.ppid;
  }
  return [parent];
}

const CHAIN = launcherChain();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `stop` once, within about a second of the parent or an ancestor up to npm going away. */
export function stopWhenLauncherGone(stop: () => void): void {
  const [parent] = CHAIN;
  const timer = setInterval(() => {
    if (process.ppid === parent && CHAIN.every(alive)) return;
    clearInterval(timer);
    stop();
  }, 1000);
  timer.unref();
}
