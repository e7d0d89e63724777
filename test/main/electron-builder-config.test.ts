import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own validator and YAML reader, loaded from app-builder-lib: no packaging
// step runs and nothing is downloaded.
const require = createRequire(import.meta.url);
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };

const config = yaml.load(readFileSync(path.resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const logger = { isEnabled: false, add: () => undefined };

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(structuredClone(config), logger)).resolves.toBeUndefined();
  });

  it('is checked for real: an unknown key fails the same schema', async () => {
    await expect(validateConfiguration({ ...structuredClone(config), notAnOption: true }, logger)).rejects.toThrow(/configuration/);
  });

  it('flips the fuses of the packaged build', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs only the built app, in an asar, for every platform', () => {
    expect(config).toMatchObject({ appId: 'app.wanglai.desktop', productName: 'Wanglai', asar: true, directories: { output: 'release' } });
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**/*', 'dist/renderer/**/*', 'package.json', '!node_modules/**/*']));
    expect(config.asarUnpack).toBeUndefined();
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['wanglai'] })]);
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'Network;InstantMessaging' });
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg'], category: 'public.app-category.social-networking' });
  });

  it("names the Linux .desktop file as Electron names the app's wanglai:// handler and window", () => {
    // Without desktopName Electron registered the scheme for "Wanglai.desktop", a file no package installs.
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { desktopName?: string };
    expect(config.linux).toMatchObject({ executableName: 'wanglai', syncDesktopName: true });
    expect(pkg.desktopName).toBe('wanglai.desktop');
  });

  it('points at the bundled main process', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
  });
});
