// @vitest-environment jsdom
import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { openBlockedPreview, openLink } from '../../../renderer/src/client/open-link';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { useUi } from '../../../renderer/src/store/ui-store';

/** Only what openLink asks of the client: a fresh verdict. */
function clientAnswering(verdict: LinkVerdict): ChatClient {
  const fake = { request: async () => ({ ok: true, value: { verdict } }) };
  return fake as unknown as ChatClient;
}

beforeAll(async () => {
  initI18n();
  await i18next.changeLanguage('en');
});

afterEach(() => {
  vi.restoreAllMocks();
  useUi.setState({ linkNotice: null, blockedLink: null });
});

describe('opening a link in the web build (no desktop bridge)', () => {
  const url = 'https://shop.test/p';

  it('opens a verified link outside the app', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openLink(clientAnswering({ url, verdict: 'verified', merchant: { id: 'm1', name: 'Shop', verified: true } }), url);
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith(url, '_blank', 'noopener,noreferrer');
  });

  it('does not open a link that is no longer verified (merchant pending, domain gone), and says so', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openLink(clientAnswering({ url, verdict: 'unverified' }), url);
    expect(useUi.getState().linkNotice).toContain('no longer verified');
    useUi.setState({ linkNotice: null });
    await openLink(clientAnswering({ url, verdict: 'unverified', reason: 'pending' }), url);
    expect(useUi.getState().linkNotice).toContain('not verified yet');
    expect(open).not.toHaveBeenCalled();
  });

  it('does not open a link the verification service could not check, and says why', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openLink(clientAnswering({ url, verdict: 'unverified', reason: 'verification_unavailable' }), url);
    expect(open).not.toHaveBeenCalled();
    expect(useUi.getState().linkNotice).not.toBeNull();
  });

  it('sends a blocked link to the warning screen instead of opening it', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openLink(clientAnswering({ url, verdict: 'blocked', reason: 'phishing' }), url);
    expect(open).not.toHaveBeenCalled();
    expect(useUi.getState().blockedLink).toMatchObject({ url });
  });
});

describe('"Open anyway…" under a link shown blocked', () => {
  const url = 'https://shop.test/go?next=https://phish.test/';

  it('goes to the warning screen even when the URL itself is verified now (blocked for where it redirects)', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openBlockedPreview(clientAnswering({ url, verdict: 'verified', merchant: { id: 'm1', name: 'Shop', verified: true } }), { url, state: 'blocked', reason: 'lookalike', imitates: 'shop.test' });
    expect(open).not.toHaveBeenCalled();
    expect(useUi.getState().blockedLink).toEqual({ url, verdict: { url, verdict: 'blocked', reason: 'lookalike', imitates: 'shop.test' } });
  });

  it('names the fresh reason when the URL is blocked now, and never opens without the interstitial', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openBlockedPreview(clientAnswering({ url, verdict: 'blocked', reason: 'phishing' }), { url, state: 'blocked', reason: 'suspended' });
    expect(open).not.toHaveBeenCalled();
    expect(useUi.getState().blockedLink).toEqual({ url, verdict: { url, verdict: 'blocked', reason: 'phishing' } });
  });
});
