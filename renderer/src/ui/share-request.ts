import { LIMITS } from '../../../protocol/limits';
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
  openShare(searchParams.get('url') ?? undefined, searchParams.get('text') ?? undefined);
  window.history.replaceState(null, '', pathname.slice(0, -'share'.length));
}
