import { bridge } from './bridge';

/** The chat server: the desktop app names it; the web build is served by it. */
export async function resolveServerUrl(): Promise<string> {
  const desktop = bridge();
  const url = desktop ? await desktop.serverUrl() : window.location.origin;
  return url.replace(/\/+$/, '');
}

/**
 * An image URL the client may load: only the chat server's own media, so that no third party
 * ever sees a reader's address (DESIGN.md §3.9). Anything else yields undefined.
 */
export function mediaUrl(serverUrl: string, image: string | undefined): string | undefined {
  if (image === undefined) return undefined;
  let server: URL;
  let resolved: URL;
  try {
    server = new URL(serverUrl);
    resolved = new URL(image, server);
  } catch {
    return undefined;
  }
  if (resolved.origin !== server.origin) return undefined;
  if (!resolved.pathname.startsWith('/api/v1/media/') || resolved.username !== '' || resolved.password !== '') return undefined;
  return resolved.href;
}
