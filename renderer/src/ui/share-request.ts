import { LIMITS, codePointLength } from '../../../protocol/limits';
import { checkShareParams } from '../../../protocol/share-checks';
import { useUi } from '../store/ui-store';

/**
 * The text a share request carries: the text, then the URL, as the sender would type them, within
 * the message limit. Only the text is ever cut, by code points: a URL cut short could name
 * another host (`https://shop.example` cut to `https://s`). A checked URL has at most
 * LIMITS.urlMax characters, so it always fits whole.
 */
export function shareText(url: string | undefined, text: string | undefined): string {
  const link = url?.trim() ?? '';
  const words = text?.trim() ?? '';
  if (link === '') return cutToCodePoints(words, LIMITS.messageTextMax);
  const room = LIMITS.messageTextMax - codePointLength(link) - 1;
  const kept = cutToCodePoints(words, Math.max(0, room)).trimEnd();
  return kept === '' ? link : `${kept} ${link}`;
}

function cutToCodePoints(text: string, max: number): string {
  return codePointLength(text) <= max ? text : [...text].slice(0, max).join('');
}

export function openShare(url: string | undefined, text: string | undefined): void {
  useUi.setState({ share: { text: shareText(url, text) }, view: 'chats' });
}

/**
 * The web build's `/share?url=…&text=…`: opens the share dialog, then tidies the address bar.
 * The request is checked exactly as the desktop's wanglai://share (protocol/share-checks.ts), and
 * one that fails is dropped as a whole, as there.
 */
export function captureShareRequest(): void {
  const { pathname, searchParams } = new URL(window.location.href);
  if (!pathname.endsWith('/share')) return;
  const content = checkShareParams(searchParams);
  if (content !== undefined) openShare(content.url, content.text);
  window.history.replaceState(null, '', pathname.slice(0, -'share'.length));
}
