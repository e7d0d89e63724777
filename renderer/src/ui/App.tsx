import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthResult, User } from '../../../protocol';
import { ChatClient } from '../client/chat-client';
import { me } from '../wire/http-api';
import { resolveServerUrl } from '../wire/server-url';
import { cachedUser, clearSession, loadToken, saveSession } from '../wire/session';
import { TEST_IDS } from '../../test-ids';
import { AuthScreen } from './AuthScreen';
import { ClientContext } from './client-context';
import { Shell } from './Shell';
import { useThemeClass } from './use-theme';
import { captureShareRequest } from './share-request';

type Boot = { phase: 'loading' } | { phase: 'signed-out'; serverUrl: string; notice?: string } | { phase: 'signed-in'; client: ChatClient };

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
  const { t } = useTranslation();
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  useThemeClass();

  const signOutLocally = useCallback(async (serverUrl: string, notice?: string) => {
    await clearSession();
    setBoot((current) => {
      if (current.phase === 'signed-in') current.client.close();
      return notice === undefined ? { phase: 'signed-out', serverUrl } : { phase: 'signed-out', serverUrl, notice };
    });
  }, []);

  const startSession = useCallback(
    (serverUrl: string, token: string, user: User) => {
      const client = new ChatClient(serverUrl, token, user, () => void signOutLocally(serverUrl, t('errors.unauthorized')));
      setBoot({ phase: 'signed-in', client });
    },
    [signOutLocally, t],
  );

  useEffect(() => {
    captureShareRequest();
    let cancelled = false;
    void (async () => {
      const serverUrl = await resolveServerUrl();
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
      await saveSession({ serverUrl, token: result.token, user: result.user });
      startSession(serverUrl, result.token, result.user);
    },
    [startSession],
  );

  if (boot.phase === 'loading') return <div className="boot" data-testid={TEST_IDS.app} aria-busy="true" />;
  if (boot.phase === 'signed-out') {
    return (
      <div data-testid={TEST_IDS.app} className="app-root">
        <AuthScreen serverUrl={boot.serverUrl} notice={boot.notice} onAuthenticated={(result) => void onAuthenticated(boot.serverUrl, result)} />
      </div>
    );
  }
  return (
    <ClientContext.Provider value={boot.client}>
      <div data-testid={TEST_IDS.app} className="app-root">
        <Shell onSignedOut={() => void signOutLocally(boot.client.serverUrl)} />
      </div>
    </ClientContext.Provider>
  );
}
