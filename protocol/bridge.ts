/**
 * The desktop bridge `window.wanglai`, exposed by the preload script with contextBridge.
 * Optional: in a plain browser it is absent and the renderer uses web fallbacks.
 */

export interface StoredCredentials {
  serverUrl: string;
  token: string;
  userId: string;
}

/** Only the share link of DESIGN.md §3.10: a link that acted on a conversation by itself is not offered. */
export type DeepLink = { kind: 'share'; url?: string; text?: string };

export interface DesktopNotification {
  title: string;
  body: string;
  conversationId?: string;
}

export type OpenExternalResult =
  | { opened: true }
  | { opened: false; reason: 'invalid_url' | 'blocked' | 'verification_unavailable' | 'no_longer_verified' };

export interface WanglaiBridge {
  readonly platform: 'linux' | 'win32' | 'darwin' | 'other';
  /** The chat server the desktop app talks to. */
  serverUrl(): Promise<string>;
  notify(notification: DesktopNotification): Promise<void>;
  setBadgeCount(count: number): Promise<void>;
  /**
   * Opens an http(s) URL in the system browser. The main process asks the server for a fresh
   * verdict first and refuses any link that is not still `verified` (`no_longer_verified` when
   * it is unverified now) unless `acceptRisk` says the user went through the interstitial.
   */
  openExternal(url: string, options?: { acceptRisk?: boolean }): Promise<OpenExternalResult>;
  credentials: {
    load(): Promise<StoredCredentials | null>;
    save(credentials: StoredCredentials): Promise<void>;
    clear(): Promise<void>;
  };
  /** Subscribes to `wanglai://` deep links; returns the unsubscribe function. */
  onDeepLink(listener: (link: DeepLink) => void): () => void;
  onNotificationClick(listener: (conversationId: string) => void): () => void;
}

/** IPC channel names between preload and main: one place, so both sides agree. */
export const BRIDGE_CHANNELS = {
  serverUrl: 'wanglai:server-url',
  notify: 'wanglai:notify',
  setBadgeCount: 'wanglai:set-badge-count',
  openExternal: 'wanglai:open-external',
  credentialsLoad: 'wanglai:credentials-load',
  credentialsSave: 'wanglai:credentials-save',
  credentialsClear: 'wanglai:credentials-clear',
  deepLink: 'wanglai:deep-link',
  notificationClick: 'wanglai:notification-click',
} as const;
