import { useEffect, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { logout } from '../wire/http-api';
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

export function Shell({ onSignedOut }: { onSignedOut: () => void }): ReactElement {
  const { i18n } = useTranslation();
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

  const signOut = async (): Promise<void> => {
    await logout(client.serverUrl, client.token);
    onSignedOut();
  };

  return (
    <div className="shell">
      <Rail onSignOut={() => void signOut()} />
      <div className="shell-main">
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
      </div>
      {newGroupOpen && <NewGroupDialog onClose={() => useUi.setState({ newGroupOpen: false })} />}
      {share !== null && <ShareDialog key={shareKey(share)} initialText={share.text} onClose={() => useUi.setState({ share: null })} />}
      {productShareOpen && <ProductShareDialog onClose={() => useUi.setState({ productShareOpen: false })} />}
      {blockedLink !== null && <Interstitial link={blockedLink} onClose={() => useUi.setState({ blockedLink: null })} />}
      <LinkNotice />
    </div>
  );
}
