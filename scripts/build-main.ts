/**
 * `npm run build:main`: bundles the Electron main process and the preload into dist/main.
 * Both are CommonJS; the preload runs sandboxed, where require() knows only a few Electron
 * modules, so it must be one self-contained file (zod included).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'main');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: 'linked',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  build({ ...common, entryPoints: ['main/main.ts'], outfile: path.join(outdir, 'main.cjs') }),
  build({ ...common, entryPoints: ['main/preload.ts'], outfile: path.join(outdir, 'preload.cjs') }),
]);
console.log(`built ${path.relative(root, outdir)}/main.cjs and preload.cjs`);
