import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launcherChain, looksLikeNpm, stillRunning, type ProcReader } from '../../../server/launcher-watch';

describe('launcher watch', () => {
  it('knows npm by its process title or by npm-cli.js, and nothing else', () => {
    for (const argv of [['npm run server'], ['npm'], ['/usr/bin/npm', 'start'], ['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'server'], ['C:\\Program Files\\nodejs\\npm.cmd', 'start']]) {
      expect(looksLikeNpm(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [['node', 'server/main.ts'], ['sh', '-c', 'tsx server/main.ts'], ['npmx'], ['/usr/bin/pnpm', 'start'], []]) {
      expect(looksLikeNpm(argv), argv.join(' ')).toBe(false);
    }
  });

  it('watches the parent first, and under npm on Linux the ancestors up to npm', () => {
    const chain = launcherChain();
    expect(chain[0]).toBe(process.ppid);
    expect(new Set(chain).size).toBe(chain.length);
    expect(chain.length).toBeLessThanOrEqual(8);
  });
});

// Linux only: zombies and start times are read from /proc.
describe.skipIf(process.platform !== 'linux')('a watched process (Linux: /proc)', () => {
  it('is running while it runs, and not once it is a zombie or its pid names another process', async () => {
    // sh starts a short child in the background, then becomes `sleep`, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
    try {
      const pid = parent.pid ?? 0;
      const startOf = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '';
      const childrenOf = () => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      await expect.poll(childrenOf).not.toBe('');
      const zombie = Number(childrenOf().split(' ')[0]);
      await expect.poll(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0]).toBe('Z');
      expect(stillRunning({ pid, startTime: startOf(pid) })).toBe(true);
      expect(stillRunning({ pid: zombie, startTime: startOf(zombie) })).toBe(false);
      expect(stillRunning({ pid, startTime: `${startOf(pid)}0` })).toBe(false);
      expect(stillRunning({ pid: 2 ** 22 + 1, startTime: '1' })).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

describe('a watched process whose /proc entry cannot be read', () => {
  const failing =
    (code: string): ProcReader =>
    (path) => {
      throw Object.assign(new Error(`${code}: cannot open ${path}`), { code });
    };
  const watched = { pid: process.pid, startTime: '12345' };

  it('is still running when the read fails for want of file descriptors (the next tick asks again)', () => {
    // Under fd exhaustion every read of /proc fails with EMFILE: the server shut itself down.
    expect(stillRunning(watched, failing('EMFILE'))).toBe(true);
    expect(stillRunning(watched, failing('ENFILE'))).toBe(true);
    expect(stillRunning(watched, failing('EACCES'))).toBe(true);
  });

  it('is gone when its entry does not exist or it exits while being read', () => {
    expect(stillRunning(watched, failing('ENOENT'))).toBe(false);
    expect(stillRunning(watched, failing('ESRCH'))).toBe(false);
  });
});
