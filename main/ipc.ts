import { z } from 'zod';
import type { DesktopNotification, OpenExternalResult, StoredCredentials } from '../protocol';
import { BRIDGE_CHANNELS } from '../protocol';
import { badgeCountSchema, desktopNotificationSchema, openExternalOptionsSchema, openExternalUrlSchema, storedCredentialsSchema } from '../protocol/bridge-schemas';
import { isAppUrl } from './app-protocol';

/** What a handler learns of its caller; Electron's IpcMainInvokeEvent satisfies it. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
}

/** The main-process side of the bridge: one function per request channel. */
export interface BridgeHandlers {
  serverUrl(): string;
  notify(notification: DesktopNotification): void;
  setBadgeCount(count: number): void;
  openExternal(url: string, options: { acceptRisk?: boolean } | undefined): Promise<OpenExternalResult>;
  credentialsLoad(): Promise<StoredCredentials | null>;
  credentialsSave(credentials: StoredCredentials): Promise<void>;
  credentialsClear(): Promise<void>;
}

/** Channels the page invokes; `deepLink` and `notificationClick` flow the other way (main → page). */
export type RequestChannel = keyof BridgeHandlers;

export class IpcRefusal extends Error {
  constructor(
    readonly code: 'forbidden' | 'invalid_input',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'IpcRefusal';
  }
}

/** Only the top frame of our own app:// page may use the bridge. */
export function isTrustedSender(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

type Route = (handlers: BridgeHandlers, args: unknown[]) => unknown;

/** A route validates the whole argument list before the handler sees typed values. */
function route<S extends z.ZodType<readonly unknown[]>>(schema: S, run: (handlers: BridgeHandlers, args: z.output<S>) => unknown): Route {
  return (handlers, args) => {
    const parsed = schema.safeParse(args);
    if (!parsed.success) throw new IpcRefusal('invalid_input', parsed.error.issues[0]?.message ?? 'bad arguments');
    return run(handlers, parsed.data);
  };
}

const none = z.tuple([]);

// The record type makes the compiler insist on a route for every request channel.
const ROUTES: Record<RequestChannel, Route> = {
  serverUrl: route(none, (h) => h.serverUrl()),
  notify: route(z.tuple([desktopNotificationSchema]), (h, [notification]) => h.notify(notification)),
  setBadgeCount: route(z.tuple([badgeCountSchema]), (h, [count]) => h.setBadgeCount(count)),
  openExternal: route(z.tuple([openExternalUrlSchema, openExternalOptionsSchema]), (h, [url, options]) => h.openExternal(url, options)),
  credentialsLoad: route(none, (h) => h.credentialsLoad()),
  credentialsSave: route(z.tuple([storedCredentialsSchema]), (h, [credentials]) => h.credentialsSave(credentials)),
  credentialsClear: route(none, (h) => h.credentialsClear()),
};

/**
 * Registers a handler for every request channel of BRIDGE_CHANNELS. Each refuses a caller
 * that is not our app:// top frame and arguments that do not validate, before any work.
 */
export function registerBridgeHandlers(ipcMain: IpcMainLike, handlers: BridgeHandlers): void {
  for (const [name, route] of Object.entries(ROUTES) as [RequestChannel, Route][]) {
    ipcMain.handle(BRIDGE_CHANNELS[name], async (event, ...args) => {
      if (!isTrustedSender(event)) throw new IpcRefusal('forbidden', `${name} is only for the Wanglai page`);
      return route(handlers, args);
    });
  }
}
