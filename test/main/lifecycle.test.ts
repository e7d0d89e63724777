import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvokeEventLike } from '../../main/ipc';
import { type ShellPlatform, type ShellWindow, startShell } from '../../main/lifecycle';
import type { GuardedContents } from '../../main/navigation-policy';
import { BRIDGE_CHANNELS } from '../../protocol';

class FakeWindow extends EventEmitter implements ShellWindow {
  readonly sent: [string, ...unknown[]][] = [];
  readonly webContents = Object.assign(new EventEmitter(), {
    send: (channel: string, ...args: unknown[]) => void this.sent.push([channel, ...args]),
  });
  readonly calls: string[] = [];
  loadedUrl = '';
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1000, height: 700 };
  }
  isMaximized = (): boolean => false;
  isDestroyed = (): boolean => false;
  isMinimized = (): boolean => false;
  show = (): void => void this.calls.push('show');
  focus = (): void => void this.calls.push('focus');
  restore = (): void => void this.calls.push('restore');
  maximize = (): void => void this.calls.push('maximize');
  setOverlayIcon = (_overlay: unknown, description: string): void => void this.calls.push(`overlay ${description}`);
}

function fakePlatform(userData: string, options: { locked?: boolean } = {}) {
  const app = new EventEmitter();
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const record: string[] = [];
  const notifications: EventEmitter[] = [];
  const shown: { title: string; body: string }[] = [];
  let badge = -1;
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const platform: ShellPlatform = {
    app: {
      on: (event: string, listener: (...args: never[]) => void) => app.on(event, listener as (...args: unknown[]) => void),
      isPackaged: true,
      requestSingleInstanceLock: () => options.locked !== true,
      setAsDefaultProtocolClient: (scheme: string) => (record.push(`protocol client ${scheme}`), true),
      whenReady: () => whenReady,
      getPath: () => userData,
      setBadgeCount: (count?: number) => ((badge = count ?? 0), true),
      setAppUserModelId: () => undefined,
      quit: () => void record.push('quit'),
      exit: (code?: number) => void record.push(`exit ${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes) => void record.push(`privileged ${schemes.map((s) => s.scheme).join()}`),
      handle: (scheme) => void record.push(`handle ${scheme}`),
    },
    defaultSession: () => ({
      setPermissionRequestHandler: () => void record.push('permission request handler'),
      setPermissionCheckHandler: () => void record.push('permission check handler'),
    }),
    ipcMain: { handle: (channel, listener) => void handlers.set(channel, listener) },
    createWindow: (windowOptions) => {
      const window = new FakeWindow(windowOptions);
      windows.push(window);
      return window;
    },
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    openExternal: async (url) => void record.push(`open ${url}`),
    secretBox: {
      isAsyncEncryptionAvailable: async () => false,
      encryptStringAsync: async () => Buffer.alloc(0),
      decryptStringAsync: async () => ({ result: '', shouldReEncrypt: false }),
    },
    notifications: {
      isSupported: () => true,
      create: (notificationOptions) => {
        shown.push({ title: notificationOptions.title, body: notificationOptions.body });
        const notification = Object.assign(new EventEmitter(), { show: () => undefined });
        notifications.push(notification);
        return notification;
      },
    },
    createTray: () => ({ setToolTip: (text: string) => void record.push(`tray ${text}`), setContextMenu: () => undefined, on: () => undefined, destroy: () => undefined }),
    image: () => ({}),
    setApplicationMenu: (template: MenuItemConstructorOptions[]) => void record.push(`menu ${template.length}`),
    buildMenu: () => ({}),
  };
  return { platform, app, windows, handlers, record, notifications, shown, ready: () => ready(), badge: () => badge };
}

describe('the shell lifecycle', () => {
  let userData: string;
  const warnings: string[] = [];
  const log = { warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) };
  beforeEach(async () => {
    userData = await mkdtemp(path.join(os.tmpdir(), 'wanglai-shell-'));
    warnings.length = 0;
  });
  afterEach(async () => {
    await rm(userData, { recursive: true, force: true });
  });
  const options = (argv: string[]) => ({
    argv,
    env: {},
    platform: 'linux' as const,
    preloadPath: '/app/dist/main/preload.cjs',
    rendererDir: '/app/dist/renderer',
    defaultApp: false,
    execPath: '/opt/wanglai/wanglai',
    log,
  });

  it('quits when another instance holds the lock', () => {
    const fake = fakePlatform(userData, { locked: true });
    expect(startShell(fake.platform, options(['/opt/wanglai/wanglai']))).toBeUndefined();
    expect(fake.record).toContain('quit');
  });

  it.each([
    ['a bad server URL', ['--server-url', 'ftp://x']],
    ['a repeated --server-url', ['--server-url', 'http://127.0.0.1:3210', '--server-url', 'https://evil.example']],
    ['port 0', ['--server-url', 'http://127.0.0.1:0']],
  ])('exits with 2 on %s', (_, flags) => {
    const fake = fakePlatform(userData);
    expect(startShell(fake.platform, options(['/opt/wanglai/wanglai', ...flags]))).toBeUndefined();
    expect(fake.record).toEqual(['exit 2']);
  });

  it('sets up the scheme, the policies, the bridge and a hardened window once ready', async () => {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai']));
    if (!shell) throw new Error('the shell did not start');
    expect(fake.record).toEqual(['privileged app', 'protocol client wanglai']);
    fake.ready();
    await shell.ready;
    expect(fake.record).toEqual(expect.arrayContaining(['handle app', 'permission request handler', 'permission check handler', 'tray Wanglai']));
    expect(fake.handlers.size).toBe(7);
    const [window] = fake.windows;
    expect(window?.loadedUrl).toBe('app://wanglai/index.html');
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });

    const serverUrl = fake.handlers.get(BRIDGE_CHANNELS.serverUrl);
    expect(await serverUrl?.({ senderFrame: { url: 'app://wanglai/index.html', parent: null } })).toBe('http://127.0.0.1:3210');
    await expect(Promise.resolve().then(() => serverUrl?.({ senderFrame: { url: 'https://evil.example/', parent: null } }))).rejects.toThrow(/forbidden/);

    const badge = fake.handlers.get(BRIDGE_CHANNELS.setBadgeCount);
    await badge?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, 4);
    expect(fake.badge()).toBe(4);
    expect(fake.record).toContain('tray Wanglai — 4 unread');
  });

  it('hands the page stored credentials only when they were issued by the server it is started with', async () => {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai', '--server-url', 'https://evil.example']));
    if (!shell) throw new Error('the shell did not start');
    fake.ready();
    await shell.ready;
    const page = { senderFrame: { url: 'app://wanglai/index.html', parent: null } };
    const save = fake.handlers.get(BRIDGE_CHANNELS.credentialsSave);
    const load = fake.handlers.get(BRIDGE_CHANNELS.credentialsLoad);
    await save?.(page, { serverUrl: 'https://chat.real.example', token: 'REAL-SERVER-TOKEN', userId: 'u1' });
    expect(await load?.(page)).toBeNull();
    await save?.(page, { serverUrl: 'https://evil.example/', token: 'ITS-OWN-TOKEN', userId: 'u2' });
    expect(await load?.(page)).toEqual({ serverUrl: 'https://evil.example/', token: 'ITS-OWN-TOKEN', userId: 'u2' });
  });

  it('hardens every web contents the app creates', () => {
    const fake = fakePlatform(userData);
    startShell(fake.platform, options(['/opt/wanglai/wanglai']));
    const events: string[] = [];
    let openHandlerSet = false;
    const contents: GuardedContents = {
      on: (event: string) => (events.push(event), contents),
      setWindowOpenHandler: () => void (openHandlerSet = true),
    };
    fake.app.emit('web-contents-created', {}, contents);
    expect(events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    expect(openHandlerSet).toBe(true);
  });

  it('holds the launch link until the page has loaded, then delivers later ones directly', async () => {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai', 'wanglai://share?text=launch']));
    if (!shell) throw new Error('the shell did not start');
    fake.app.emit('open-url', { preventDefault: () => undefined }, 'wanglai://share?text=hello');
    fake.app.emit('open-url', { preventDefault: () => undefined }, 'wanglai://settings');
    fake.ready();
    await shell.ready;
    const window = fake.windows[0];
    if (!window) throw new Error('no window');
    expect(window.sent).toEqual([]);
    window.webContents.emit('did-finish-load');
    expect(window.sent).toEqual([
      [BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'launch' }],
      [BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'hello' }],
    ]);
    fake.app.emit('second-instance', {}, ['/opt/wanglai/wanglai', 'wanglai://share?text=second']);
    expect(window.sent.at(-1)).toEqual([BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'second' }]);
    expect(window.calls).toEqual(expect.arrayContaining(['show', 'focus']));
    expect(warnings.some((w) => /ignored a wanglai:\/\/ link/.test(w))).toBe(true);
  });

  it("escapes a notification's title and body on Linux, where notification servers read them as markup, and only there", async () => {
    const text = '<a href="https://phish.example/">订单</a> & <b>more</b>';
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const fake = fakePlatform(userData);
      const shell = startShell(fake.platform, { ...options(['/opt/wanglai/wanglai']), platform });
      if (!shell) throw new Error('the shell did not start');
      fake.ready();
      await shell.ready;
      await fake.handlers.get(BRIDGE_CHANNELS.notify)?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, { title: '<a href="https://phish.example/">Alice</a>', body: text, conversationId: 'c9' });
      const expected = (markup: string): string => markup.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
      expect(fake.shown).toEqual([
        platform === 'linux'
          ? { title: '&lt;a href=&quot;https://phish.example/&quot;&gt;Alice&lt;/a&gt;', body: expected(text) }
          : { title: '<a href="https://phish.example/">Alice</a>', body: text },
      ]);
    }
  });

  it('brings the window forward and tells the page when a notification is clicked', async () => {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai']));
    if (!shell) throw new Error('the shell did not start');
    fake.ready();
    await shell.ready;
    const window = fake.windows[0];
    window?.webContents.emit('did-finish-load');
    const notify = fake.handlers.get(BRIDGE_CHANNELS.notify);
    await notify?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, { title: 'Alice', body: 'hi', conversationId: 'c9' });
    fake.notifications[0]?.emit('click');
    expect(window?.calls).toEqual(expect.arrayContaining(['show', 'focus']));
    expect(window?.sent).toContainEqual([BRIDGE_CHANNELS.notificationClick, 'c9']);
  });

  describe('on macOS, where the app runs on with its window closed', () => {
    async function closedWindow() {
      const fake = fakePlatform(userData);
      const shell = startShell(fake.platform, { ...options(['/opt/wanglai/wanglai']), platform: 'darwin' });
      if (!shell) throw new Error('the shell did not start');
      fake.ready();
      await shell.ready;
      const first = fake.windows[0];
      if (!first) throw new Error('no window');
      first.webContents.emit('did-finish-load');
      first.emit('closed');
      expect(shell.window()).toBeUndefined();
      const reopened = async (): Promise<FakeWindow> => {
        await vi.waitFor(() => expect(fake.windows).toHaveLength(2));
        const second = fake.windows[1];
        if (!second) throw new Error('no window');
        return second;
      };
      return { fake, first, reopened };
    }

    it('reopens the window for a wanglai:// link and delivers it once the page has loaded', async () => {
      const { fake, first, reopened } = await closedWindow();
      fake.app.emit('open-url', { preventDefault: () => undefined }, 'wanglai://share?text=hello');
      const second = await reopened();
      expect(second.sent).toEqual([]);
      second.webContents.emit('did-finish-load');
      expect(second.sent).toEqual([[BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'hello' }]]);
      expect(first.sent).toEqual([]);
    });

    it('brings an open window forward for a wanglai:// link', async () => {
      const fake = fakePlatform(userData);
      const shell = startShell(fake.platform, { ...options(['/opt/wanglai/wanglai']), platform: 'darwin' });
      if (!shell) throw new Error('the shell did not start');
      fake.ready();
      await shell.ready;
      fake.app.emit('open-url', { preventDefault: () => undefined }, 'wanglai://share?text=hello');
      expect(fake.windows[0]?.calls).toEqual(expect.arrayContaining(['show', 'focus']));
    });

    it('reopens the window for a notification click and tells the new page which conversation', async () => {
      const { fake, first, reopened } = await closedWindow();
      await fake.handlers.get(BRIDGE_CHANNELS.notify)?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, { title: 'Alice', body: 'hi', conversationId: 'c9' });
      fake.notifications[0]?.emit('click');
      const second = await reopened();
      expect(second.sent).toEqual([]);
      second.webContents.emit('did-finish-load');
      expect(second.sent).toEqual([[BRIDGE_CHANNELS.notificationClick, 'c9']]);
      expect(first.sent).toEqual([]);
    });
  });
});
