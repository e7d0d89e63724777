// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { openLink } from '../../../renderer/src/client/open-link';
import { useUi } from '../../../renderer/src/store/ui-store';

/** Only what openLink asks of the client: a fresh verdict. */
function clientAnswering(verdict: LinkVerdict): ChatClient {
  const fake = { request: async () => ({ ok: true, value: { verdict } }) };
  return fake as unknown as ChatClient;
}

afterEach(() => {
  vi.restoreAllMocks();
  useUi.setState({ linkNotice: null, blockedLink: null });
});

describe('opening a link in the web build (no desktop bridge)', () => {
  const url = 'https://shop.test/p';

  it('opens a verified or unverified link outside the app', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await openLink(clientAnswering({ url, verdict: 'verified' }), url);
    await openLink(clientAnswering({ url, verdict: 'unverified' }), url);
    expect(open).toHaveBeenCalledTimes(2);
    expect(open).toHaveBeenCalledWith(url, '_blank', 'noopener,noreferrer');
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
