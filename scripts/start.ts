/**
 * `npm start` (`npm start -- --demo`, `npm run demo`): builds what is missing, starts the
 * server stack, then opens the desktop app against it — or, where no Electron binary can run,
 * says so once and keeps serving the web client. Ctrl+C or SIGTERM stops everything.
 */
// First: it reads the chain of launching processes (up to npm) when it loads.
import { stopWhenLauncherGone } from '../server/launcher-watch';
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const USAGE = `usage: npm start [-- options]

  --demo       seed demo users, a group and shops (also: npm run demo)
  --no-build   do not build, even if dist/ is missing
  --help       show this text

environment: WANGLAI_HOST, WANGLAI_PORT, WANGLAI_DATA_DIR ... (see protocol/PROTOCOL.md §1) go to the
server; ELECTRON_OVERRIDE_DIST_PATH names a directory holding an Electron binary.`;

export interface StartOptions {
  demo: boolean;
  build: boolean;
}

export type ParsedArgs = { ok: true; options: StartOptions } | { ok: true; help: true } | { ok: false; message: string };

export function parseArgs(args: readonly string[]): ParsedArgs {
  const options: StartOptions = { demo: false, build: true };
  for (const arg of args) {
    if (arg === '--demo') options.demo = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--help' || arg === '-h') return { ok: true, help: true };
    else return { ok: false, message: `unknown option "${arg}"` };
  }
  return { ok: true, options };
}

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Where the Electron binary is, found on disk the way the electron package's own index.js
 * finds it — without requiring that package, which would try to download the binary.
 */
export function findElectronBinary(root: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): ElectronBinary {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let executable: string | undefined;
  try {
    executable = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || undefined;
  } catch {
    executable = undefined;
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const distDir = override !== undefined && override !== '' ? override : path.join(packageDir, 'dist');
  if (executable === undefined && distDir === override) executable = 'electron';
  if (executable === undefined) return { ok: false, reason: 'no binary downloaded' };
  const binary = path.join(distDir, executable);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { ok: false, reason: 'no binary downloaded' };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'no display to open a window on' };
  return { ok: true, path: binary };
}

/**
 * The chat server's URL from its ready line (PROTOCOL.md §1: a line containing
 * `listening on http://HOST:PORT`). A line about the verification service is not it.
 */
export function chatServerUrlFromLine(line: string): string | undefined {
  const match = /listening on (https?:\/\/[^\s,;)]+)/.exec(line);
  if (match?.[1] === undefined || /verif/i.test(line)) return undefined;
  try {
    return new URL(match[1]).origin;
  } catch {
    return undefined;
  }
}

/** The address a browser on this machine can open: a wildcard bind is reached via loopback. */
export function browsableUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.href;
}

/**
 * What the desktop app is started with: the server at an address it can connect to (Windows
 * cannot connect to a wildcard `0.0.0.0` or `[::]`, and credentials saved for such an address were
 * not found again on a later default start), as an origin, and not as a Node process.
 */
export function electronEnv(env: NodeJS.ProcessEnv, serverUrl: string): NodeJS.ProcessEnv {
  const next: NodeJS.ProcessEnv = { ...env, WANGLAI_SERVER_URL: new URL(browsableUrl(serverUrl)).origin };
  delete next.ELECTRON_RUN_AS_NODE;
  return next;
}

function needsBuild(root: string): boolean {
  return ['dist/renderer/index.html', 'dist/main/main.cjs', 'dist/main/preload.cjs'].some((file) => !existsSync(path.join(root, file)));
}

function runBuild(root: string): Promise<boolean> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

/** Starts the server and resolves with its URL once it prints its ready line. */
function startServer(root: string, demo: boolean): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'main.ts'), ...(demo ? ['--demo'] : [])], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<string>((resolve, reject) => {
    let found = false;
    const watch = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream): void => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        sink.write(`${line}\n`);
        const url = found ? undefined : chatServerUrlFromLine(line);
        if (url !== undefined) {
          found = true;
          resolve(url);
        }
      });
    };
    if (child.stdout) watch(child.stdout, process.stdout);
    if (child.stderr) watch(child.stderr, process.stderr);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!found) reject(new Error(`the server stopped before it was ready (${signal ?? `exit code ${code}`})`));
    });
  });
  return { child, ready };
}

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`npm start: ${parsed.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if ('help' in parsed) {
    console.log(USAGE);
    return;
  }
  const { options } = parsed;

  if (options.build && needsBuild(ROOT)) {
    console.log('Building the app first (npm run build)…');
    if (!(await runBuild(ROOT))) {
      console.error('npm start: the build failed; see above.');
      process.exit(1);
    }
  }

  const children: { server?: ChildProcess; electron?: ChildProcess } = {};
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all([stopChild(children.electron), stopChild(children.server)]);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // A SIGTERM to npm alone ends npm only; what it started must not live on under init.
  stopWhenLauncherGone(() => void stopAll(0));

  const started = startServer(ROOT, options.demo);
  const server = started.child;
  children.server = server;
  let serverUrl: string;
  try {
    serverUrl = await started.ready;
  } catch (error) {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    return stopAll(1);
  }
  server.once('exit', (code) => {
    if (stopping) return;
    console.error(`npm start: the server stopped (exit code ${code ?? 'none'}).`);
    void stopAll(code ?? 1);
  });
  const webUrl = browsableUrl(serverUrl);

  const binary = findElectronBinary(ROOT, process.env, process.platform);
  if (!binary.ok) {
    console.log(`Electron is not available here (${binary.reason}); the web client is at ${webUrl}`);
    return;
  }
  const env = electronEnv(process.env, serverUrl);
  const electron = spawn(binary.path, [ROOT], { cwd: ROOT, env, stdio: 'inherit' });
  children.electron = electron;
  console.log(`Opening the Wanglai desktop app against ${env.WANGLAI_SERVER_URL ?? serverUrl}`);
  electron.once('error', (error) => {
    console.log(`Electron could not be started (${error.message}); the web client is at ${webUrl}`);
  });
  electron.once('exit', (code, signal) => {
    if (stopping) return;
    if (code === 0) {
      void stopAll(0);
      return;
    }
    console.log(`Electron stopped (${signal ?? `exit code ${code}`}); still serving — the web client is at ${webUrl}`);
  });
}

/**
 * Whether the module at `moduleUrl` is the script Node was started with. Both sides as real
 * paths: Node runs the main module from its real path while argv[1] keeps the spelling typed (a
 * symlink, a relative path), and a URL percent-encodes a space or a non-ASCII letter.
 */
export function isEntryScript(argv1: string | undefined, moduleUrl: string): boolean {
  if (argv1 === undefined) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

if (isEntryScript(process.argv[1], import.meta.url)) {
  await main();
}
