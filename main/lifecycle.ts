import path from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, Rectangle } from 'electron';
import type { DeepLink } from '../protocol';
import { BRIDGE_CHANNELS } from '../protocol';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppHandler } from './app-protocol';
import { createBadge } from './badge';
import { resolveConfig, serverOrigin } from './config';
import { createCredentialStore, type SecretBox } from './credentials';
import { buildCsp } from './csp';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink } from './deep-link';
import { type Bitmap, trayBitmap, unreadDotBitmap } from './icons';
import { type IpcMainLike, registerBridgeHandlers } from './ipc';
import { menuTemplate } from './menu';
import { type GuardedContents, guardWebContents } from './navigation-policy';
import { createNotifier, type NotificationLike } from './notifications';
import { createLinkOpener } from './open-external';
import { PageQueue } from './page-queue';
import { type PermissionSession, installPermissionPolicy } from './permissions';
import { type TrayLike, createTray } from './tray';
import { type TrackedWindow, type WindowState, loadWindowState, trackWindowState, windowOptions } from './window';

/** The main window as the shell uses it; a real BrowserWindow satisfies it. */
export interface ShellWindow extends TrackedWindow {
  webContents: {
    send(channel: string, ...args: unknown[]): void;
    on(event: 'did-finish-load' | 'did-start-loading', listener: () => void): unknown;
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
  };
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close' | 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  maximize(): void;
  setOverlayIcon(overlay: unknown, description: string): void;
}

type Listener = (...args: never[]) => void;

/** At most this many reloads of a page that stopped, within this long. */
const RELOADS_PER_WINDOW = 3;
const RELOAD_WINDOW_MS = 60_000;

/** The parts of Electron the shell touches, injected so the wiring runs under Node in tests. */
export interface ShellPlatform {
  app: {
    readonly isPackaged: boolean;
    requestSingleInstanceLock(): boolean;
    setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
    on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
    on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
    on(event: 'window-all-closed' | 'activate', listener: Listener): unknown;
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    setBadgeCount(count?: number): boolean;
    setAppUserModelId(id: string): void;
    quit(): void;
    exit(code?: number): void;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: [typeof APP_SCHEME_PRIVILEGES]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  defaultSession(): PermissionSession & { setSpellCheckerEnabled(enable: boolean): void };
  ipcMain: IpcMainLike;
  createWindow(options: BrowserWindowConstructorOptions): ShellWindow;
  workAreas(): Rectangle[];
  openExternal(url: string): Promise<void>;
  secretBox: SecretBox;
  notifications: { isSupported(): boolean; create(options: { title: string; body: string; silent: boolean }): NotificationLike };
  createTray(icon: Bitmap, scaleFactor: number): TrayLike;
  /** nativeImage.createFromBitmap; a scale factor of 2 keeps the icon sharp on HiDPI screens. */
  image(bitmap: Bitmap, scaleFactor: number): unknown;
  setApplicationMenu(template: MenuItemConstructorOptions[]): void;
  buildMenu(template: MenuItemConstructorOptions[]): unknown;
}

export interface ShellOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  preloadPath: string;
  rendererDir: string;
  /** In development Electron runs as `electron <app dir>`: the protocol handler must say so. */
  defaultApp: boolean;
  execPath: string;
  log: Pick<Console, 'warn' | 'error'>;
}

export interface Shell {
  readonly serverUrl: string;
  /** Settles once the app:// protocol, the policies, the IPC handlers and the window are set up. */
  readonly ready: Promise<void>;
  deliverDeepLink(raw: string): void;
  window(): ShellWindow | undefined;
}

/** Starts the desktop shell; undefined when another instance owns the app or the config is bad. */
export function startShell(platform: ShellPlatform, options: ShellOptions): Shell | undefined {
  const { app } = platform;
  platform.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // The lock comes before the configuration: a second launch (the OS handing over a wanglai://
  // link) passes its argv to the running instance through `second-instance` whatever its own
  // flags and environment say, and that instance runs with the configuration it was started with.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  const config = resolveConfig(options.argv, options.env);
  if (!config.ok) {
    options.log.error(`Wanglai: ${config.error.message}`);
    app.exit(2);
    return undefined;
  }
  const { serverUrl } = config.value;

  const appDir = options.argv[1];
  if (options.defaultApp && appDir !== undefined) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, options.execPath, [path.resolve(appDir)]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  if (options.platform === 'win32') app.setAppUserModelId('app.wanglai.desktop');

  const deepLinks = new PageQueue<DeepLink>();
  const notificationClicks = new PageQueue<string>();
  let mainWindow: ShellWindow | undefined;
  let tray: TrayLike | undefined;

  const deliverDeepLink = (raw: string): void => {
    const link: DeepLink | null = parseDeepLink(raw);
    if (link === null) options.log.warn('Wanglai: ignored a wanglai:// link that is not a valid share link');
    else deepLinks.push(link);
  };

  const firstLink = deepLinkFromArgv(options.argv);
  if (firstLink !== undefined) deliverDeepLink(firstLink);

  const credentials = createCredentialStore({
    file: path.join(app.getPath('userData'), 'credentials.bin'),
    secretBox: platform.secretBox,
    platform: options.platform,
    warn: (message) => options.log.warn(`Wanglai: ${message}`),
  });
  const openLink = createLinkOpener({
    serverUrl,
    openExternal: platform.openExternal,
    token: async () => (await credentialsForThisServer())?.token,
  });

  /**
   * A token is only ever handed out for the server that issued it: started with another server
   * URL (a `--server-url` a user was tricked into), the app signs in afresh instead of giving
   * that server the real one's bearer token.
   */
  async function credentialsForThisServer(): Promise<Awaited<ReturnType<typeof credentials.load>>> {
    const stored = await credentials.load();
    return stored !== null && serverOrigin(stored.serverUrl) === serverUrl ? stored : null;
  }
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');

  function openWindow(state: WindowState | undefined): ShellWindow {
    const window = platform.createWindow(windowOptions(options.preloadPath, state, options.platform));
    mainWindow = window;
    if (state?.maximized === true) window.maximize();
    window.once('ready-to-show', () => window.show());
    const holdForPage = (): void => {
      deepLinks.detach();
      notificationClicks.detach();
    };
    window.webContents.on('did-start-loading', holdForPage);
    window.webContents.on('did-finish-load', () => {
      deepLinks.attach((link) => window.webContents.send(BRIDGE_CHANNELS.deepLink, link));
      notificationClicks.attach((conversationId) => window.webContents.send(BRIDGE_CHANNELS.notificationClick, conversationId));
    });
    // A page that crashed or was killed (out of memory, say) left a blank window until the app
    // was restarted, and links and notification clicks went to the page that was gone. It is
    // loaded again, a few times a minute at most: a page that dies as it loads must not spin.
    const reloads: number[] = [];
    window.webContents.on('render-process-gone', (_event, details) => {
      holdForPage();
      if (details.reason === 'clean-exit') return;
      const now = Date.now();
      while (reloads.length > 0 && now - (reloads[0] ?? 0) > RELOAD_WINDOW_MS) reloads.shift();
      if (reloads.length >= RELOADS_PER_WINDOW) {
        options.log.error(`Wanglai: the page stopped again (${details.reason}); not loading it again, restart Wanglai`);
        return;
      }
      reloads.push(now);
      options.log.error(`Wanglai: the page stopped (${details.reason}); loading it again`);
      window.loadURL(APP_INDEX_URL).catch((error: unknown) => options.log.error('Wanglai: could not load the app page', error));
    });
    window.on('closed', () => {
      holdForPage();
      if (mainWindow === window) mainWindow = undefined;
    });
    trackWindowState(window, stateFile, (error) => options.log.warn('Wanglai: could not save the window state', error));
    window.loadURL(APP_INDEX_URL).catch((error: unknown) => options.log.error('Wanglai: could not load the app page', error));
    return window;
  }

  async function reopenWindow(): Promise<void> {
    const state = await loadWindowState(stateFile, platform.workAreas());
    if (mainWindow === undefined) openWindow(state);
  }

  const bringToFront = (): void => {
    if (mainWindow === undefined) {
      // No window can be made before the app is ready (macOS delivers a launch link before that);
      // the start-up opens one then, and this finds it there.
      app
        .whenReady()
        .then(reopenWindow)
        .catch((error: unknown) => options.log.error('Wanglai: could not open the window', error));
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('second-instance', (_event, argv) => {
    const raw = deepLinkFromArgv(argv);
    if (raw !== undefined) deliverDeepLink(raw);
    bringToFront();
  });
  // macOS hands links to the running app this way, also when its window is closed.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliverDeepLink(url);
    bringToFront();
  });
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, {
      openLink: (url) => {
        openLink(url)
          .then((result) => {
            // No page code asked, so no page shows a notice: the log says why nothing opened.
            if (!result.opened) options.log.warn(`Wanglai: did not open a link the page opened in a new window (${result.reason})`);
          })
          .catch((error: unknown) => options.log.error('Wanglai: opening a link failed', error));
      },
    });
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (mainWindow === undefined) bringToFront();
  });

  const ready = app.whenReady().then(async () => {
    platform.protocol.handle(APP_SCHEME, createAppHandler(options.rendererDir, buildCsp(serverUrl)));
    const session = platform.defaultSession();
    installPermissionPolicy(session);
    // The spell checker belongs to the session, and off in webPreferences alone Chromium still
    // downloads Hunspell dictionaries from Google's CDN on Linux and Windows (electron#22995).
    if (options.platform !== 'darwin') session.setSpellCheckerEnabled(false);
    platform.setApplicationMenu(menuTemplate({ platform: options.platform, isDev: !app.isPackaged }));

    const notify = createNotifier({
      ...platform.notifications,
      readsMarkup: options.platform === 'linux',
      onClick: (conversationId) => {
        // Queued, not sent: on macOS the window may be closed, and the one bringToFront makes has no page yet.
        if (conversationId !== undefined) notificationClicks.push(conversationId);
        bringToFront();
      },
    });
    const dot = platform.image(unreadDotBitmap(32), 2);
    const setBadge = createBadge({
      setAppBadge: (count) => app.setBadgeCount(count),
      setTrayTooltip: (text) => tray?.setToolTip(text),
      ...(options.platform === 'win32' ? { setOverlay: (show: boolean, description: string) => mainWindow?.setOverlayIcon(show ? dot : null, description) } : {}),
    });
    registerBridgeHandlers(platform.ipcMain, {
      serverUrl: () => serverUrl,
      notify,
      setBadgeCount: setBadge,
      openExternal: openLink,
      credentialsLoad: credentialsForThisServer,
      credentialsSave: (value) => credentials.save(value),
      credentialsClear: () => credentials.clear(),
    });

    await reopenWindow();
    tray = createTray({
      create: () => platform.createTray(trayBitmap(32), 2),
      buildMenu: platform.buildMenu,
      show: bringToFront,
      quit: () => app.quit(),
    });
  });
  ready.catch((error: unknown) => {
    options.log.error('Wanglai: could not start', error);
    app.exit(1);
  });

  return { serverUrl, ready, deliverDeepLink, window: () => mainWindow };
}
