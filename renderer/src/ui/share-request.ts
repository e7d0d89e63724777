import { LIMITS } from '../../../protocol/limits';
import { parseHttpUrl } from '../../../protocol/urls';
import { useUi } from '../store/ui-store';

/** The text a share request carries: the text, then the URL, as the sender would type them. */
export function shareText(url: string | undefined, text: string | undefined): string {
  return [text?.trim(), url?.trim()].filter((part): part is string => part !== undefined && part !== '').join(' ').slice(0, LIMITS.messageTextMax);
}

export function openShare(url: string | undefined, text: string | undefined): void {
  useUi.setState({ share: { text: shareText(url, text) }, view: 'chats' });
}

/** The web build's `/share?url=…&text=…`: opens the share dialog, then tidies the address bar. */
export function captureShareRequest(): void {
  const { pathname, searchParams } = new URL(window.location.href);
  if (!pathname.endsWith('/share')) return;
  // As the desktop's wanglai://share: only an http(s) URL, as the parser reads it.
  const url = searchParams.get('url');
  const parsed = url === null ? undefined : parseHttpUrl(url);
  openShare(parsed?.href, searchParams.get('text') ?? undefined);
  window.history.replaceState(null, '', pathname.slice(0, -'share'.length));
}
