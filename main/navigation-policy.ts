import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { isAppUrl } from './app-protocol';

/** The web contents surface the policy needs; a real WebContents satisfies it. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: { url: string; preventDefault(): void }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

export interface NavigationPolicyOptions {
  /** Opens an http(s) link the page tried to open in a new window, through the link policy. */
  openLink(url: string): void;
  onDenied?(kind: 'navigate' | 'window-open' | 'webview', url: string): void;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Applied to every web contents the app creates: the page may navigate only within app://,
 * may never open a window (an http(s) link goes to the link policy, which asks for a verdict
 * before the system browser opens it), and may never attach a webview.
 */
export function guardWebContents(contents: GuardedContents, options: NavigationPolicyOptions): void {
  const denyOutside = (event: { url: string; preventDefault(): void }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    options.onDenied?.('navigate', event.url);
  };
  contents.on('will-navigate', denyOutside);
  contents.on('will-frame-navigate', denyOutside);
  contents.on('will-redirect', denyOutside);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onDenied?.('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpUrl(url)) options.openLink(url);
    else options.onDenied?.('window-open', url);
    return { action: 'deny' };
  });
}
