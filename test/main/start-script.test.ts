import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browsableUrl, chatServerUrlFromLine, electronEnv, findElectronBinary, isEntryScript, parseArgs } from '../../scripts/start';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm start helpers', () => {
  it('parses its flags and refuses unknown ones', () => {
    expect(parseArgs([])).toEqual({ ok: true, options: { demo: false, build: true } });
    expect(parseArgs(['--demo', '--no-build'])).toEqual({ ok: true, options: { demo: true, build: false } });
    expect(parseArgs(['--help'])).toEqual({ ok: true, help: true });
    expect(parseArgs(['--dmeo'])).toEqual({ ok: false, message: 'unknown option "--dmeo"' });
  });

  it("finds the chat server's ready line, not the verification service's", () => {
    expect(chatServerUrlFromLine('wanglai: verification service listening on http://127.0.0.1:3211')).toBeUndefined();
    expect(chatServerUrlFromLine('wanglai: verification service ready at http://127.0.0.1:3211')).toBeUndefined();
    expect(chatServerUrlFromLine('wanglai: chat server listening on http://127.0.0.1:40123')).toBe('http://127.0.0.1:40123');
    expect(chatServerUrlFromLine('wanglai: admin token abc')).toBeUndefined();
    expect(browsableUrl('http://0.0.0.0:3210')).toBe('http://127.0.0.1:3210/');
    // The desktop app gets that address too, as an origin, and never runs as Node.
    for (const [bound, given] of [['http://0.0.0.0:3210', 'http://127.0.0.1:3210'], ['http://[::]:3210', 'http://[::1]:3210'], ['http://localhost:4000', 'http://localhost:4000']]) {
      const env = electronEnv({ PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' }, bound ?? '');
      expect(env.WANGLAI_SERVER_URL, bound).toBe(given);
      expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
      expect(env.PATH).toBe('/bin');
    }
  });

  it('knows it is the script run through a symlink and a path with a space and a non-ASCII letter', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-entry-'));
    try {
      const real = path.join(dir, 'wang lai 往来');
      await mkdir(real);
      const script = path.join(real, 'start.ts');
      await writeFile(script, '');
      await symlink(real, path.join(dir, 'link 往来'), 'dir');
      const url = pathToFileURL(script).href;
      expect(isEntryScript(script, url)).toBe(true);
      expect(isEntryScript(path.join(dir, 'link 往来', 'start.ts'), url)).toBe(true);
      expect(isEntryScript(path.join(dir, 'other.ts'), url)).toBe(false);
      expect(isEntryScript(undefined, url)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('finding Electron on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-electron-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports a missing binary without requiring the electron package', async () => {
      await mkdir(path.join(dir, 'node_modules', 'electron'), { recursive: true });
      expect(findElectronBinary(dir, { DISPLAY: ':0' }, 'linux')).toEqual({ ok: false, reason: 'no binary downloaded' });
      await writeFile(path.join(dir, 'node_modules', 'electron', 'path.txt'), 'electron');
      expect(findElectronBinary(dir, { DISPLAY: ':0' }, 'linux')).toEqual({ ok: false, reason: 'no binary downloaded' });
    });

    // Skipped on Windows only: the fake binary is a POSIX shell script made executable with chmod.
    it.skipIf(process.platform === 'win32')('finds a downloaded binary, and needs a display on Linux', async () => {
      const dist = path.join(dir, 'node_modules', 'electron', 'dist');
      await mkdir(dist, { recursive: true });
      await writeFile(path.join(dir, 'node_modules', 'electron', 'path.txt'), 'electron');
      await writeFile(path.join(dist, 'electron'), '#!/bin/sh\n');
      await chmod(path.join(dist, 'electron'), 0o755);
      expect(findElectronBinary(dir, { DISPLAY: ':0' }, 'linux')).toEqual({ ok: true, path: path.join(dist, 'electron') });
      expect(findElectronBinary(dir, {}, 'linux')).toEqual({ ok: false, reason: 'no display to open a window on' });
      expect(findElectronBinary(dir, {}, 'darwin').ok).toBe(true);
    });
  });
});

function runStart(args: string[], env: NodeJS.ProcessEnv, root = ROOT): { child: ChildProcess; lines: string[]; waitFor(pattern: RegExp, ms: number): Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
  const waitFor = (pattern: RegExp, ms: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms; got:\n${lines.join('\n')}`)), ms);
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      child.once('exit', () => reject(new Error(`exited before a line matching ${pattern}; got:\n${lines.join('\n')}`)));
    });
  return { child, lines, waitFor };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The exit code once the output is all read too ('exit' may come before the last lines). */
function closeOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

describe('npm start', () => {
  it('refuses an unknown flag with the usage and exit code 2', async () => {
    const run = runStart(['--bogus'], {});
    expect(await exitOf(run.child)).toBe(2);
    expect(run.lines.join('\n')).toMatch(/unknown option "--bogus"[\s\S]*usage: npm start/);
  });

  // Run through a symlink, argv[1] is not the module's own (real) path: start.ts then did nothing and exited 0.
  it('runs from a checkout reached through a symlink in a path with a space and a non-ASCII letter', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-start-path-'));
    try {
      const checkout = path.join(dir, 'wang lai 往来');
      await symlink(ROOT, checkout, 'dir');
      const bogus = runStart(['--bogus'], {}, checkout);
      expect(await closeOf(bogus.child)).toBe(2);
      expect(bogus.lines.join('\n')).toContain('unknown option "--bogus"');
      const help = runStart(['--help'], {}, checkout);
      expect(await closeOf(help.child)).toBe(0);
      expect(help.lines.join('\n')).toContain('usage: npm start');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Skipped only in a checkout without the server (a packaged copy of main/): the fallback starts it.
  describe.skipIf(!existsSync(path.join(ROOT, 'server', 'main.ts')))('without an Electron binary', () => {
    let dir: string;
    let child: ChildProcess | undefined;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-start-'));
    });
    afterEach(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
      await rm(dir, { recursive: true, force: true });
    });

    it('says so once, prints the web client URL, serves, and stops cleanly on SIGTERM', async () => {
      const noElectron = path.join(dir, 'no-electron');
      await mkdir(noElectron);
      const run = runStart(['--no-build'], {
        WANGLAI_PORT: '0',
        WANGLAI_VERIFY_PORT: '0',
        WANGLAI_HOST: '127.0.0.1',
        WANGLAI_DATA_DIR: path.join(dir, 'data'),
        ELECTRON_OVERRIDE_DIST_PATH: noElectron,
      });
      child = run.child;
      const line = await run.waitFor(/Electron is not available here/, 60_000);
      const url = /the web client is at (http:\/\/\S+)/.exec(line)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const health = await fetch(new URL('/healthz', url));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      expect(run.lines.filter((l) => /Electron is not available/.test(l))).toHaveLength(1);

      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
      await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
    });
  });
});
