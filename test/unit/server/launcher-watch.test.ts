import { describe, expect, it } from 'vitest';
import { launcherChain, looksLikeNpm } from '../../../server/launcher-watch';

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
