import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardWebContents, type GuardedContents } from '../../main/navigation-policy';
import { installPermissionPolicy, type PermissionSession } from '../../main/permissions';
import { MIN_HEIGHT, MIN_WIDTH, fitToDisplays, loadWindowState, saveWindowState, windowOptions } from '../../main/window';
import { menuTemplate } from '../../main/menu';

type NavListener = (event: { url: string; preventDefault(): void }) => void;

class FakeContents implements GuardedContents {
  readonly listeners = new Map<string, NavListener[]>();
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  on(event: string, listener: NavListener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  /** Emits like Electron does; returns whether a listener prevented the default. */
  emit(event: string, url: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) listener({ url, preventDefault: () => (prevented = true) });
    return prevented;
  }
  open(url: string): WindowOpenHandlerResponse {
    if (!this.openHandler) throw new Error('no window-open handler installed');
    return this.openHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } });
  }
}

describe('window options', () => {
  it('turns every security flag on and Node off', () => {
    const options = windowOptions('/app/dist/main/preload.cjs', undefined, 'darwin');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(options.show).toBe(false);
    expect(options.x).toBeUndefined();
  });

  it("checks spelling only on macOS, with its own spellchecker: elsewhere Chromium may download Hunspell dictionaries from Google", () => {
    expect(windowOptions('/p', undefined, 'darwin').webPreferences?.spellcheck).toBe(true);
    expect(windowOptions('/p', undefined, 'win32').webPreferences?.spellcheck).toBe(false);
    expect(windowOptions('/p', undefined, 'linux').webPreferences?.spellcheck).toBe(false);
  });

  it('uses remembered bounds', () => {
    const options = windowOptions('/p', { bounds: { x: 10, y: 20, width: 900, height: 700 }, maximized: false }, 'win32');
    expect(options).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
  });
});

describe('window state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-window-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('round-trips through the file', async () => {
    const file = path.join(dir, 'nested', 'window-state.json');
    await saveWindowState(file, { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
    expect(await loadWindowState(file, screen)).toEqual({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  });

  it('takes overlapping saves (one on close while one after a move is under way): both settle, the file holds one whole state, no temporary file is left', async () => {
    const file = path.join(dir, 'window-state.json');
    const states = Array.from({ length: 20 }, (_, i) => ({ bounds: { x: i, y: 0, width: 800 + i, height: 600 }, maximized: false }));
    await Promise.all(states.map((state) => saveWindowState(file, state)));
    expect(states).toContainEqual(await loadWindowState(file, screen));
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['garbage', 'not json {'],
    ['a wrong shape', JSON.stringify({ bounds: { x: 1 }, maximized: false })],
    ['strings for numbers', JSON.stringify({ bounds: { x: '1', y: 0, width: 800, height: 600 }, maximized: false })],
    ['fractions', JSON.stringify({ bounds: { x: 0.5, y: 0, width: 800, height: 600 }, maximized: false })],
    ['huge values', JSON.stringify({ bounds: { x: 0, y: 0, width: 1e12, height: 600 }, maximized: false })],
    ['a missing flag', JSON.stringify({ bounds: { x: 0, y: 0, width: 800, height: 600 } })],
  ])('ignores %s', async (_what, content) => {
    const file = path.join(dir, 'window-state.json');
    await writeFile(file, content);
    expect(await loadWindowState(file, screen)).toBeUndefined();
  });

  it('ignores a missing file', async () => {
    expect(await loadWindowState(path.join(dir, 'none.json'), screen)).toBeUndefined();
  });

  it('clamps the size and brings an off-screen window back', () => {
    const tiny = fitToDisplays({ bounds: { x: 0, y: 0, width: 10, height: 10 }, maximized: false }, screen);
    expect(tiny.bounds).toMatchObject({ width: MIN_WIDTH, height: MIN_HEIGHT });
    const huge = fitToDisplays({ bounds: { x: 0, y: 0, width: 5000, height: 4000 }, maximized: false }, screen);
    expect(huge.bounds).toMatchObject({ width: 1920, height: 1080 });
    const lost = fitToDisplays({ bounds: { x: 5000, y: 3000, width: 800, height: 600 }, maximized: false }, screen);
    expect(lost.bounds).toEqual({ x: 560, y: 240, width: 800, height: 600 });
  });

  // Skipped on Windows only: it has no POSIX file modes to assert (0o600); Linux and macOS run it.
  it.skipIf(process.platform === 'win32')('writes a file only its owner can read', async () => {
    const file = path.join(dir, 'window-state.json');
    await saveWindowState(file, { bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: false });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ maximized: false });
    expect((await stat(file)).mode & 0o077).toBe(0);
  });
});

describe('navigation policy', () => {
  const setup = () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    const denied: string[] = [];
    guardWebContents(contents, { openLink: (url) => opened.push(url), onDenied: (kind, url) => denied.push(`${kind} ${url}`) });
    return { contents, opened, denied };
  };

  it('lets the page navigate within app:// only', () => {
    const { contents } = setup();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(contents.emit(event, 'app://wanglai/index.html')).toBe(false);
      expect(contents.emit(event, 'https://evil.example/')).toBe(true);
      expect(contents.emit(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.emit(event, 'app://other/index.html')).toBe(true);
      expect(contents.emit(event, 'javascript:alert(1)')).toBe(true);
    }
  });

  it('refuses every webview', () => {
    const { contents } = setup();
    expect(contents.emit('will-attach-webview', '')).toBe(true);
  });

  it('denies every new window and sends http(s) links to the link policy', () => {
    const { contents, opened, denied } = setup();
    expect(contents.open('https://shop.example/item')).toEqual({ action: 'deny' });
    expect(contents.open('http://a.example/')).toEqual({ action: 'deny' });
    expect(contents.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(contents.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(contents.open('app://wanglai/index.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://shop.example/item', 'http://a.example/']);
    expect(denied).toContain('window-open file:///etc/passwd');
  });
});

describe('permission policy', () => {
  type Req = Parameters<PermissionSession['setPermissionRequestHandler']>[0];
  type Check = Parameters<PermissionSession['setPermissionCheckHandler']>[0];
  const setup = () => {
    let request: Req = null;
    let check: Check = null;
    installPermissionPolicy({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    const ask = (permission: string, url: string): boolean => {
      let granted: boolean | undefined;
      request?.({}, permission, (g) => (granted = g), { requestingUrl: url });
      if (granted === undefined) throw new Error('the request handler did not answer');
      return granted;
    };
    const probe = (permission: string, origin: string, url?: string): boolean => {
      if (!check) throw new Error('no check handler');
      return check({}, permission, origin, url === undefined ? {} : { requestingUrl: url });
    };
    return { ask, probe };
  };

  it('grants notifications to our page only', () => {
    const { ask, probe } = setup();
    expect(ask('notifications', 'app://wanglai/index.html')).toBe(true);
    expect(ask('notifications', 'https://evil.example/')).toBe(false);
    expect(ask('notifications', 'app://other/')).toBe(false);
    expect(probe('notifications', 'app://wanglai', 'app://wanglai/index.html')).toBe(true);
    expect(probe('notifications', 'https://evil.example', 'https://evil.example/')).toBe(false);
    expect(probe('notifications', 'app://wanglai', 'https://evil.example/')).toBe(false);
  });

  it.each(['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'midiSysex', 'fullscreen', 'unknown'])('refuses %s even to our page', (permission) => {
    const { ask, probe } = setup();
    expect(ask(permission, 'app://wanglai/index.html')).toBe(false);
    expect(probe(permission, 'app://wanglai', 'app://wanglai/index.html')).toBe(false);
  });
});

describe('menu', () => {
  const roles = (template: ReturnType<typeof menuTemplate>): string[] =>
    template.flatMap((item) => (Array.isArray(item.submenu) ? item.submenu.map((sub) => String(sub.role ?? '')) : []));

  it('has the edit roles everywhere and reload only in development', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const production = roles(menuTemplate({ platform, isDev: false }));
      expect(production).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
      expect(production).not.toContain('reload');
      expect(production).not.toContain('forceReload');
      expect(production).not.toContain('toggleDevTools');
      expect(roles(menuTemplate({ platform, isDev: true }))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    }
  });
});
