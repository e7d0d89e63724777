import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, HandlerDetails, MenuItemConstructorOptions, WindowOpenHandlerResponse } from 'electron';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvokeEventLike } from '../../main/ipc';
import { type ShellPlatform, type ShellWindow, startShell } from '../../main/lifecycle';
import type { GuardedContents } from '../../main/navigation-policy';
import { BRIDGE_CHANNELS, type LinkVerdict } from '../../protocol';

class FakeWindow extends EventEmitter implements ShellWindow {
  readonly sent: [string, ...unknown[]][] = [];
  readonly webContents = Object.assign(new EventEmitter(), {
    send: (channel: string, ...args: unknown[]) => void this.sent.push([channel, ...args]),
  });
  readonly calls: string[] = [];
  loadedUrl = '';
  loads = 0;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.loads += 1;
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
      requestSingleInstanceLock: () => (record.push('single-instance lock'), options.locked !== true),
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
      setSpellCheckerEnabled: (enable: boolean) => void record.push(`spell checker ${enable}`),
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

  /** The shell started and ready, with its window's page loaded. */
  async function loadedWindow(fake: ReturnType<typeof fakePlatform>): Promise<FakeWindow> {
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai']));
    if (!shell) throw new Error('the shell did not start');
    fake.ready();
    await shell.ready;
    const window = fake.windows[0];
    if (!window) throw new Error('no window');
    window.webContents.emit('did-finish-load');
    return window;
  }

  it('quits when another instance holds the lock', () => {
    const fake = fakePlatform(userData, { locked: true });
    expect(startShell(fake.platform, options(['/opt/wanglai/wanglai']))).toBeUndefined();
    expect(fake.record).toEqual(['privileged app', 'single-instance lock', 'quit']);
  });

  it.each([
    ['a bad server URL', ['--server-url', 'ftp://x']],
    ['a repeated --server-url', ['--server-url', 'http://127.0.0.1:3210', '--server-url', 'https://evil.example']],
    ['port 0', ['--server-url', 'http://127.0.0.1:0']],
  ])('exits with 2 on %s, once it holds the lock', (_, flags) => {
    const fake = fakePlatform(userData);
    expect(startShell(fake.platform, options(['/opt/wanglai/wanglai', ...flags]))).toBeUndefined();
    expect(fake.record).toEqual(['privileged app', 'single-instance lock', 'exit 2']);
  });

  it('sets up the scheme, the policies, the bridge and a hardened window once ready', async () => {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai']));
    if (!shell) throw new Error('the shell did not start');
    expect(fake.record).toEqual(['privileged app', 'single-instance lock', 'protocol client wanglai']);
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

  it('turns the session spell checker off except on macOS, since elsewhere it downloads dictionaries from Google', async () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const fake = fakePlatform(userData);
      const shell = startShell(fake.platform, { ...options(['/opt/wanglai/wanglai']), platform });
      if (!shell) throw new Error('the shell did not start');
      fake.ready();
      await shell.ready;
      const spellChecker = fake.record.filter((entry) => entry.startsWith('spell checker'));
      expect(spellChecker).toEqual(platform === 'darwin' ? [] : ['spell checker false']);
      // Before the window exists, so that its page never starts the download.
      if (platform !== 'darwin') expect(fake.record.indexOf('spell checker false')).toBeLessThan(fake.record.indexOf('tray Wanglai'));
      expect(fake.windows).toHaveLength(1);
    }
  });

  describe('a second launch handing over a wanglai:// link', () => {
    const badConfigs: [string, Record<string, string>][] = [
      ['plain http to another host', { WANGLAI_SERVER_URL: 'http://chat.lan:3210' }],
      ['WANGLAI_ALLOW_INSECURE_SERVER=true', { WANGLAI_ALLOW_INSECURE_SERVER: 'true' }],
    ];

    it.each(badConfigs)('quits without checking its own configuration (%s), leaving the link to the first', (_, env) => {
      const second = fakePlatform(userData, { locked: true });
      const argv = ['/opt/wanglai/wanglai', 'wanglai://share?text=hello'];
      expect(startShell(second.platform, { ...options(argv), env })).toBeUndefined();
      expect(second.record).toEqual(['privileged app', 'single-instance lock', 'quit']);
      expect(warnings).toEqual([]);
    });

    it.each(badConfigs)('as the only instance, exits with 2 on its configuration (%s) after taking the lock', (_, env) => {
      const first = fakePlatform(userData);
      expect(startShell(first.platform, { ...options(['/opt/wanglai/wanglai']), env })).toBeUndefined();
      expect(first.record).toEqual(['privileged app', 'single-instance lock', 'exit 2']);
    });

    it('reaches the first instance before it is ready: the link waits for its page', async () => {
      const first = fakePlatform(userData);
      const shell = startShell(first.platform, options(['/opt/wanglai/wanglai']));
      if (!shell) throw new Error('the shell did not start');
      const second = fakePlatform(userData, { locked: true });
      const argv = ['/opt/wanglai/wanglai', 'wanglai://share?text=early'];
      expect(startShell(second.platform, { ...options(argv), env: { WANGLAI_SERVER_URL: 'http://chat.lan:3210' } })).toBeUndefined();
      first.app.emit('second-instance', {}, argv);
      first.ready();
      await shell.ready;
      const window = first.windows[0];
      if (!window) throw new Error('no window');
      window.webContents.emit('did-finish-load');
      expect(window.sent).toEqual([[BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'early' }]]);
      expect(second.record).not.toContain('exit 2');
    });

    it('reaches the first instance once its page has loaded: delivered at once, window forward', async () => {
      const first = fakePlatform(userData);
      const window = await loadedWindow(first);
      const second = fakePlatform(userData, { locked: true });
      const argv = ['/opt/wanglai/wanglai', '--server-url', 'ftp://x', 'wanglai://share?text=late'];
      expect(startShell(second.platform, options(argv))).toBeUndefined();
      first.app.emit('second-instance', {}, argv);
      expect(window.sent).toEqual([[BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'late' }]]);
      expect(window.calls).toEqual(expect.arrayContaining(['show', 'focus']));
      expect(second.record).not.toContain('exit 2');
    });
  });

  describe('a link the page opens in a new window (window.open, target=_blank)', () => {
    let verdicts: Server;
    let serverUrl: string;
    const asked: string[] = [];
    /** A stand-in chat server answering GET /api/v1/links/verdict as PROTOCOL.md §4 says. */
    beforeAll(async () => {
      verdicts = createServer((request, response) => {
        const target = new URL(request.url ?? '/', 'http://localhost').searchParams.get('url') ?? '';
        asked.push(target);
        const host = new URL(target).hostname;
        let verdict: LinkVerdict;
        if (host === 'shop.verified.example') verdict = { url: target, verdict: 'verified' };
        else if (host === 'pending-shop.example') verdict = { url: target, verdict: 'unverified', reason: 'pending' };
        else if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) verdict = { url: target, verdict: 'unverified', reason: 'ip_host' };
        else verdict = { url: target, verdict: 'unverified' };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
      });
      await new Promise<void>((resolve) => verdicts.listen(0, '127.0.0.1', resolve));
      serverUrl = `http://127.0.0.1:${(verdicts.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve, reject) => verdicts.close((error) => (error ? reject(error) : resolve())));
    });

    async function signedInShell() {
      const fake = fakePlatform(userData);
      const shell = startShell(fake.platform, options(['/opt/wanglai/wanglai', '--server-url', serverUrl]));
      if (!shell) throw new Error('the shell did not start');
      let openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
      const contents: GuardedContents = { on: () => contents, setWindowOpenHandler: (handler) => void (openHandler = handler) };
      fake.app.emit('web-contents-created', {}, contents);
      fake.ready();
      await shell.ready;
      await fake.handlers.get(BRIDGE_CHANNELS.credentialsSave)?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, { serverUrl, token: 't', userId: 'u1' });
      const windowOpen = (url: string): WindowOpenHandlerResponse | undefined =>
        openHandler?.({ url, frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: '', policy: 'no-referrer' } });
      const opened = (): string[] => fake.record.filter((entry) => entry.startsWith('open ')).map((entry) => entry.slice('open '.length));
      return { windowOpen, opened };
    }

    it.each(['http://10.0.0.1/router-login', 'https://pending-shop.example/pay', 'https://random-shop.example/checkout'])(
      'asks a fresh verdict for %s and, unverified, does not open it',
      async (url) => {
        const { windowOpen, opened } = await signedInShell();
        asked.length = 0;
        expect(windowOpen(url)).toEqual({ action: 'deny' });
        await vi.waitFor(() => expect(warnings).toContain('Wanglai: did not open a link the page opened in a new window (no_longer_verified)'));
        expect(asked).toEqual([url]);
        expect(opened()).toEqual([]);
      },
    );

    it('opens a link still verified, after asking', async () => {
      const { windowOpen, opened } = await signedInShell();
      asked.length = 0;
      expect(windowOpen('https://shop.verified.example/item')).toEqual({ action: 'deny' });
      await vi.waitFor(() => expect(opened()).toEqual(['https://shop.verified.example/item']));
      expect(asked).toEqual(['https://shop.verified.example/item']);
    });
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

  it('loads the page again when it crashed, holding links until it has loaded, a few times a minute at most', async () => {
    const fake = fakePlatform(userData);
    const window = await loadedWindow(fake);
    expect(window.loads).toBe(1);
    // Closing ends the page cleanly: nothing to load again.
    window.webContents.emit('render-process-gone', {}, { reason: 'clean-exit' });
    expect(window.loads).toBe(1);
    window.webContents.emit('render-process-gone', {}, { reason: 'oom' });
    expect(window.loads).toBe(2);
    expect(window.loadedUrl).toBe('app://wanglai/index.html');
    expect(warnings).toContain('Wanglai: the page stopped (oom); loading it again');
    // A link arriving before the new page has loaded waits for it, rather than go to the dead one.
    fake.app.emit('second-instance', {}, ['/opt/wanglai/wanglai', 'wanglai://share?text=after-crash']);
    expect(window.sent.filter(([channel]) => channel === BRIDGE_CHANNELS.deepLink)).toEqual([]);
    window.webContents.emit('did-finish-load');
    expect(window.sent.at(-1)).toEqual([BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'after-crash' }]);
    // A page that dies as it loads is loaded again twice more, then left.
    for (let i = 0; i < 4; i++) window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(window.loads).toBe(4);
    expect(warnings.at(-1)).toBe('Wanglai: the page stopped again (crashed); not loading it again, restart Wanglai');
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

  async function shownNotifications(platform: NodeJS.Platform, notification: { title: string; body: string }): Promise<{ title: string; body: string }[]> {
    const fake = fakePlatform(userData);
    const shell = startShell(fake.platform, { ...options(['/opt/wanglai/wanglai']), platform });
    if (!shell) throw new Error('the shell did not start');
    fake.ready();
    await shell.ready;
    await fake.handlers.get(BRIDGE_CHANNELS.notify)?.({ senderFrame: { url: 'app://wanglai/', parent: null } }, { ...notification, conversationId: 'c9' });
    return fake.shown;
  }

  it("keeps markup out of a notification's title and body on Linux, where notification servers read them as markup, and only there", async () => {
    const title = '<a href="https://phish.example/">Alice</a>';
    const body = '<a href="https://phish.example/">订单</a> & <b>more</b>';
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(await shownNotifications(platform, { title, body })).toEqual([
        platform === 'linux'
          ? // GNOME Shell shows any entity in a title as typed: full-width look-alikes instead.
            { title: '＜a href="https://phish.example/"＞Alice＜/a＞', body: '&lt;a href="https://phish.example/"&gt;订单&lt;/a&gt; &amp; &lt;b&gt;more&lt;/b&gt;' }
          : { title, body },
      ]);
    }
  });

  it('shows apostrophes and quotes on Linux as typed, never as entities GNOME Shell does not decode', async () => {
    expect(await shownNotifications('linux', { title: `Tom & Jerry's "group"`, body: `I'm on my way, don't "wait"` })).toEqual([
      { title: `Tom ＆ Jerry's "group"`, body: `I'm on my way, don't "wait"` },
    ]);
  });

  it('brings the window forward and tells the page when a notification is clicked', async () => {
    const fake = fakePlatform(userData);
    const window = await loadedWindow(fake);
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
