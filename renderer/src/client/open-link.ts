/**
 * Opening a link always asks for a fresh verdict first (a merchant may have been suspended since
 * the preview). A blocked link goes to the interstitial; one that cannot be checked now, or is
 * no longer verified, is not opened; a verified one opens outside the app.
 */
import i18next from 'i18next';
import { bridge } from '../wire/bridge';
import { useUi } from '../store/ui-store';
import { reasonText } from '../lib/reason-text';
import type { LinkPreview, LinkVerdict } from '../../../protocol';
import type { ChatClient } from './chat-client';

function notice(reason: string): void {
  useUi.setState({ linkNotice: i18next.t('links.openFailed', { reason: reasonText(i18next.t.bind(i18next), reason) }) });
}

async function openOutside(url: string, acceptRisk: boolean): Promise<void> {
  const desktop = bridge();
  if (desktop) {
    const result = await desktop.openExternal(url, acceptRisk ? { acceptRisk: true } : undefined);
    if (!result.opened) notice(result.reason);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}

export async function openLink(client: ChatClient, url: string): Promise<void> {
  const result = await client.request('links:verdict', { url });
  if (!result.ok) {
    // Fail closed: a link that cannot be checked now is not opened.
    notice(result.code === 'invalid_input' ? 'invalid_url' : 'verification_unavailable');
    return;
  }
  const verdict = result.value.verdict;
  // The service could not be asked: fail closed here too, as the desktop shell does for itself
  // (the web build opens links with window.open, which checks nothing).
  if (verdict.reason === 'verification_unavailable') {
    notice('verification_unavailable');
    return;
  }
  if (verdict.verdict === 'blocked') {
    useUi.setState({ blockedLink: { url, verdict } });
    return;
  }
  // Only a verified link is clickable (DESIGN.md §3 rule 4: an unverified one is plain text);
  // one whose merchant is pending or has lost the domain since is not opened either.
  if (verdict.verdict !== 'verified') {
    notice(verdict.reason === 'pending' ? 'pending' : 'no_longer_verified');
    return;
  }
  await openOutside(url, false);
}

/**
 * "Open anyway…" under a link shown blocked: always the interstitial first (DESIGN.md §3.5),
 * whatever a fresh verdict of the URL says now. A link blocked for where its page redirects has
 * a verified URL of its own, so the fresh verdict alone would have opened it at once. The
 * warning names the fresh reason when the URL itself is blocked, else the preview's.
 */
export async function openBlockedPreview(client: ChatClient, link: LinkPreview): Promise<void> {
  const result = await client.request('links:verdict', { url: link.url });
  const fresh = result.ok && result.value.verdict.verdict === 'blocked' ? result.value.verdict : undefined;
  const stored: LinkVerdict = {
    url: link.url,
    verdict: 'blocked',
    ...(link.reason !== undefined ? { reason: link.reason } : {}),
    ...(link.imitates !== undefined ? { imitates: link.imitates } : {}),
    ...(link.merchant !== undefined ? { merchant: link.merchant } : {}),
  };
  useUi.setState({ blockedLink: { url: link.url, verdict: fresh ?? stored } });
}

/** Only after the interstitial, by the user's explicit choice. */
export async function openBlockedAnyway(url: string): Promise<void> {
  useUi.setState({ blockedLink: null });
  await openOutside(url, true);
}
