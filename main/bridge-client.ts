import type { z } from 'zod';
import type { DeepLink, WanglaiBridge } from '../protocol';
import { BRIDGE_CHANNELS } from '../protocol';
import {
  badgeCountSchema,
  deepLinkSchema,
  desktopNotificationSchema,
  notificationClickSchema,
  openExternalOptionsSchema,
  openExternalResultSchema,
  openExternalUrlSchema,
  serverUrlSchema,
  storedCredentialsSchema,
} from '../protocol/bridge-schemas';

/** The ipcRenderer surface the bridge uses; it is never handed to the page itself. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const MAX_WAITING_LINKS = 16;

export function bridgePlatform(platform: string): WanglaiBridge['platform'] {
  return platform === 'linux' || platform === 'win32' || platform === 'darwin' ? platform : 'other';
}

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TypeError(`wanglai bridge: invalid ${what}: ${parsed.error.issues[0]?.message ?? 'rejected'}`);
  return parsed.data;
}

/**
 * The object behind `window.wanglai`. What the page sends is checked before it crosses to the
 * main process, and what comes back is checked before the page sees it, so a bug on either
 * side shows up as a clear error at the boundary.
 */
export function createBridge(ipc: IpcRendererLike, platform: string): WanglaiBridge {
  const linkListeners = new Set<(link: DeepLink) => void>();
  const clickListeners = new Set<(conversationId: string) => void>();
  // A link that launched the app can arrive before the page has subscribed: it waits here.
  let waitingLinks: DeepLink[] = [];
  // So can a click on a notification that reopened the window (macOS), or one that came while the
  // page was signing in; only the last one matters, since it names the conversation to show.
  let waitingClick: string | undefined;

  ipc.on(BRIDGE_CHANNELS.deepLink, (_event, raw) => {
    const parsed = deepLinkSchema.safeParse(raw);
    if (!parsed.success) return;
    if (linkListeners.size === 0) {
      if (waitingLinks.length < MAX_WAITING_LINKS) waitingLinks.push(parsed.data);
      return;
    }
    for (const listener of linkListeners) listener(parsed.data);
  });
  ipc.on(BRIDGE_CHANNELS.notificationClick, (_event, raw) => {
    const parsed = notificationClickSchema.safeParse(raw);
    if (!parsed.success) return;
    if (clickListeners.size === 0) waitingClick = parsed.data;
    for (const listener of clickListeners) listener(parsed.data);
  });

  const bridge = {
    platform: bridgePlatform(platform),
    async serverUrl() {
      return checked(serverUrlSchema, await ipc.invoke(BRIDGE_CHANNELS.serverUrl), 'server URL');
    },
    async notify(notification) {
      await ipc.invoke(BRIDGE_CHANNELS.notify, checked(desktopNotificationSchema, notification, 'notification'));
    },
    async setBadgeCount(count) {
      await ipc.invoke(BRIDGE_CHANNELS.setBadgeCount, checked(badgeCountSchema, count, 'badge count'));
    },
    async openExternal(url, options) {
      const args = [checked(openExternalUrlSchema, url, 'URL'), checked(openExternalOptionsSchema, options, 'options')];
      return checked(openExternalResultSchema, await ipc.invoke(BRIDGE_CHANNELS.openExternal, ...args), 'openExternal result');
    },
    credentials: {
      async load() {
        return checked(storedCredentialsSchema.nullable(), await ipc.invoke(BRIDGE_CHANNELS.credentialsLoad), 'stored credentials');
      },
      async save(credentials) {
        await ipc.invoke(BRIDGE_CHANNELS.credentialsSave, checked(storedCredentialsSchema, credentials, 'credentials'));
      },
      async clear() {
        await ipc.invoke(BRIDGE_CHANNELS.credentialsClear);
      },
    },
    onDeepLink(listener) {
      if (typeof listener !== 'function') throw new TypeError('wanglai bridge: onDeepLink needs a function');
      linkListeners.add(listener);
      const waiting = waitingLinks;
      waitingLinks = [];
      for (const link of waiting) listener(link);
      return () => {
        linkListeners.delete(listener);
      };
    },
    onNotificationClick(listener) {
      if (typeof listener !== 'function') throw new TypeError('wanglai bridge: onNotificationClick needs a function');
      clickListeners.add(listener);
      const waiting = waitingClick;
      waitingClick = undefined;
      if (waiting !== undefined) listener(waiting);
      return () => {
        clickListeners.delete(listener);
      };
    },
  } satisfies WanglaiBridge;
  return bridge;
}
