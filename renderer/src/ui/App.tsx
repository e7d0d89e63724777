import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthResult, User } from '../../../protocol';
import { ChatClient } from '../client/chat-client';
import { logout, me } from '../wire/http-api';
import { revokePending } from '../wire/revocations';
import { useChat } from '../store/chat-store';
import { resolveServerUrl } from '../wire/server-url';
import { cachedUser, clearSession, loadToken, saveSession } from '../wire/session';
import { TEST_IDS } from '../../test-ids';
import { AuthScreen } from './AuthScreen';
import { ClientContext } from './client-context';
import { Shell } from './Shell';
import { useThemeClass } from './use-theme';
import { captureShareRequest } from './share-request';

type SignedOut = { phase: 'signed-out'; serverUrl: string; notice?: string; revokeLater?: boolean };
type Boot = { phase: 'loading' } | SignedOut | { phase: 'signed-in'; client: ChatClient };

/** Restores the stored session (validated with /me, or the cached user when offline). */
async function restore(serverUrl: string): Promise<{ token: string; user: User } | null> {
  const stored = await loadToken();
  if (stored === null) return null;
  const checked = await me(serverUrl, stored.token);
  if (checked.ok) return { token: stored.token, user: checked.value };
  if (checked.code === 'unauthorized') {
    await clearSession();
    return null;
  }
  const cached = cachedUser();
  return cached === null ? null : { token: stored.token, user: cached };
}

export function App(): ReactElement {
  const { t, i18n } = useTranslation();
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  useThemeClass();
  // Signed in, the shell's title also counts the unread messages (showUnreadCount).
  const signedIn = boot.phase === 'signed-in';
  useEffect(() => {
    if (!signedIn) document.title = t('app.name');
  }, [signedIn, t, i18n.language]);
  const serverUrlRef = useRef<string | null>(null);

  // Tokens whose logout could not reach the server are revoked whenever it may be reachable again:
  // at start, when the browser is back online, and when a connection (or a sign-in) succeeds.
  const revokeWaiting = useCallback(() => {
    if (serverUrlRef.current !== null) void revokePending(serverUrlRef.current, logout);
  }, []);

  useEffect(() => {
    window.addEventListener('online', revokeWaiting);
    const offConnected = useChat.subscribe((state, previous) => {
      if (state.connection === 'online' && previous.connection !== 'online') revokeWaiting();
    });
    return () => {
      window.removeEventListener('online', revokeWaiting);
      offConnected();
    };
  }, [revokeWaiting]);

  const signOutLocally = useCallback(async (serverUrl: string, how: { notice?: string; revokeLater?: boolean } = {}) => {
    await clearSession();
    setBoot((current) => {
      if (current.phase === 'signed-in') current.client.close();
      const next: SignedOut = { phase: 'signed-out', serverUrl };
      if (how.notice !== undefined) next.notice = how.notice;
      if (how.revokeLater === true) next.revokeLater = true;
      return next;
    });
  }, []);

  const startSession = useCallback(
    (serverUrl: string, token: string, user: User) => {
      const client = new ChatClient(serverUrl, token, user, () => void signOutLocally(serverUrl, { notice: t('errors.unauthorized') }));
      setBoot({ phase: 'signed-in', client });
    },
    [signOutLocally, t],
  );

  useEffect(() => {
    captureShareRequest();
    let cancelled = false;
    void (async () => {
      const serverUrl = await resolveServerUrl();
      serverUrlRef.current = serverUrl;
      revokeWaiting();
      const session = await restore(serverUrl);
      if (cancelled) return;
      if (session === null) setBoot({ phase: 'signed-out', serverUrl });
      else startSession(serverUrl, session.token, session.user);
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const onAuthenticated = useCallback(
    async (serverUrl: string, result: AuthResult) => {
      try {
        await saveSession({ serverUrl, token: result.token, user: result.user });
      } catch {
        // Not kept for the next start (a keychain that refused, a full disk): the sign-in still
        // holds for this one, rather than leave a valid session on a sign-in screen.
      }
      startSession(serverUrl, result.token, result.user);
      revokeWaiting();
    },
    [startSession, revokeWaiting],
  );

  if (boot.phase === 'loading') return <div className="boot" data-testid={TEST_IDS.app} aria-busy="true" />;
  if (boot.phase === 'signed-out') {
    return (
      <div data-testid={TEST_IDS.app} className="app-root">
        <AuthScreen serverUrl={boot.serverUrl} notice={boot.notice} revokeLater={boot.revokeLater === true} onAuthenticated={(result) => void onAuthenticated(boot.serverUrl, result)} />
      </div>
    );
  }
  return (
    <ClientContext.Provider value={boot.client}>
      <div data-testid={TEST_IDS.app} className="app-root">
        <Shell onSignedOut={(revokeLater) => void signOutLocally(boot.client.serverUrl, { revokeLater })} />
      </div>
    </ClientContext.Provider>
  );
}
