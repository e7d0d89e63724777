import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { logout } from '../wire/http-api';
import { rememberRevocation, revocationSettled } from '../wire/revocations';
import { discardOutbox } from '../client/outbox-storage';
import { bridge } from '../wire/bridge';
import { requestNotificationPermission, showUnreadCount } from '../client/notifications';
import { totalUnread } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { useUi, type ShareRequest } from '../store/ui-store';
import { useClient } from './client-context';
import { Rail } from './Rail';
import { ConversationList } from './ConversationList';
import { ContactsScreen } from './ContactsScreen';
import { ChatPane } from './ChatPane';
import { ConnectionBanner } from './ConnectionBanner';
import { UnsentNotice } from './UnsentNotice';
import { NewGroupDialog } from './NewGroupDialog';
import { ShareDialog } from './ShareDialog';
import { ProductShareDialog } from './ProductShareDialog';
import { Interstitial } from './Interstitial';
import { LinkNotice } from './LinkNotice';
import { openShare } from './share-request';
import { openConversation } from './open-conversation';
import { useConfirm } from './use-confirm';

/**
 * The share dialog keeps its own text and ticks, read from the request once; a second request
 * while it is open (another wanglai://share link, the Share action on another message) must start
 * it afresh, or Send would share the first request's text. Every request is a new object, so its
 * identity tells one from the next, even two with the same text.
 */
const shareKeys = new WeakMap<ShareRequest, number>();
let lastShareKey = 0;

function shareKey(request: ShareRequest): number {
  let key = shareKeys.get(request);
  if (key === undefined) {
    key = ++lastShareKey;
    shareKeys.set(request, key);
  }
  return key;
}

/** `revokeLater`: the server did not take the logout, so the token waits in the revocation list. */
export function Shell({ onSignedOut }: { onSignedOut: (revokeLater: boolean) => void }): ReactElement {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const view = useUi((s) => s.view);
  const share = useUi((s) => s.share);
  const productShareOpen = useUi((s) => s.productShareOpen);
  const newGroupOpen = useUi((s) => s.newGroupOpen);
  const blockedLink = useUi((s) => s.blockedLink);
  const unread = useChat(totalUnread);
  const active = useChat((s) => s.activeConversationId);

  useEffect(() => showUnreadCount(unread), [unread, i18n.language]);

  useEffect(() => {
    void client.setActive(active);
  }, [client, active]);

  useEffect(() => {
    const desktop = bridge();
    if (!desktop) return;
    const offLink = desktop.onDeepLink((link) => openShare(link.url, link.text));
    const offClick = desktop.onNotificationClick((conversationId) => openConversation(conversationId));
    return () => {
      offLink();
      offClick();
    };
  }, []);

  useEffect(() => {
    // Browsers grant the notification prompt only from a user gesture.
    const ask = (): void => requestNotificationPermission();
    window.addEventListener('pointerdown', ask, { once: true });
    return () => window.removeEventListener('pointerdown', ask);
  }, []);

  const [confirmation, confirm] = useConfirm();
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async (): Promise<void> => {
    setSigningOut(true);
    const result = await logout(client.serverUrl, client.token);
    const revoked = revocationSettled(result);
    // Offline (or a server error) the token would stay valid on the server: it is kept to revoke later.
    if (!revoked) rememberRevocation({ serverUrl: client.serverUrl, token: client.token });
    const me = useChat.getState().me;
    if (me !== null) {
      useChat.setState({ outbox: [] });
      discardOutbox(me.id);
    }
    onSignedOut(!revoked);
  };

  const askSignOut = (): void => {
    if (signingOut) return;
    const unsent = useChat.getState().outbox.length;
    if (unsent === 0) void signOut();
    else confirm(t('settings.signOutUnsent', { count: unsent }), t('settings.signOut'), () => void signOut());
  };

  return (
    <div className="shell">
      <Rail onSignOut={askSignOut} />
      <main className="shell-main">
        <h1 className="visually-hidden">{t('app.name')}</h1>
        <ConnectionBanner />
        <UnsentNotice />
        <div className="shell-columns">
          {view === 'chats' ? (
            <>
              <ConversationList />
              <ChatPane />
            </>
          ) : (
            <ContactsScreen />
          )}
        </div>
      </main>
      {newGroupOpen && <NewGroupDialog onClose={() => useUi.setState({ newGroupOpen: false })} />}
      {share !== null && <ShareDialog key={shareKey(share)} initialText={share.text} onClose={() => useUi.setState({ share: null })} />}
      {productShareOpen && <ProductShareDialog onClose={() => useUi.setState({ productShareOpen: false })} />}
      {blockedLink !== null && <Interstitial link={blockedLink} onClose={() => useUi.setState({ blockedLink: null })} />}
      <LinkNotice />
      {confirmation}
    </div>
  );
}
