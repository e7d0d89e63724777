import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../protocol';
import { updateChat, useChat } from '../store/chat-store';
import { applyContactRequest, applyContactsUpdated, otherMemberId, setContactsList, upsertConversation } from '../store/chat-state';
import { tJoined } from '../lib/cjk-spacing';
import { useClient } from './client-context';
import { useUi } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';
import { Icon } from './icons';
import { MessageList } from './MessageList';
import { MessageAnnouncer } from './MessageAnnouncer';
import { Composer } from './Composer';
import { TypingIndicator } from './TypingIndicator';
import { GroupPanel } from './GroupPanel';
import { closeConversation } from './open-conversation';

export function ChatPane(): ReactElement {
  const { t } = useTranslation();
  const conversation = useChat((s) => (s.activeConversationId === null ? undefined : s.conversations[s.activeConversationId]));
  const myId = useChat((s) => s.me?.id);
  const otherId = conversation?.kind === 'direct' ? otherMemberId(conversation, myId) : undefined;
  const online = useChat((s) => (otherId === undefined ? false : (s.presence[otherId] ?? false)));
  // While our own connection is down, the other person's presence is not known: none is shown.
  const presenceKnown = useChat((s) => s.connection === 'online');
  const panelOpen = useUi((s) => s.groupPanelOpen);
  // A direct chat with someone no longer a contact: the server refuses every send (not_contact).
  const formerContact = useChat((s) => (otherId !== undefined && s.contactsLoaded && s.contacts[otherId] === undefined ? (conversation?.members.find((m) => m.user.id === otherId)?.user ?? s.users[otherId]) : undefined));
  // The open group this user was removed from: said once, until dismissed or another chat is opened.
  const lastRemoved = useChat((s) => s.lastRemoved);
  const opened = conversation !== undefined;
  useEffect(() => {
    if (opened && useChat.getState().lastRemoved !== null) useChat.setState({ lastRemoved: null });
  }, [opened]);

  if (conversation === undefined) {
    return (
      <section className="chat-pane chat-pane-empty" data-testid={TEST_IDS.chatEmpty}>
        {lastRemoved !== null && (
          <div className="removed-notice" role="status" data-testid={TEST_IDS.removedNotice}>
            <span>{t('chat.removedFromGroup', { title: lastRemoved.title })}</span>
            <button type="button" className="icon-button" aria-label={t('chat.dismissNotice')} title={t('chat.dismissNotice')} onClick={() => useChat.setState({ lastRemoved: null })} data-testid={TEST_IDS.removedNoticeDismiss}>
              <Icon name="close" size={16} />
            </button>
          </div>
        )}
        <div className="empty-illustration" aria-hidden="true">
          <Icon name="chat" size={56} />
        </div>
        <p className="empty-title">{t('chat.pickOne')}</p>
        <p className="empty-hint">{t('chat.pickOneHint')}</p>
      </section>
    );
  }

  const isGroup = conversation.kind === 'group';
  return (
    <div className="chat-area">
      <section className="chat-pane" aria-label={conversation.title} data-testid={TEST_IDS.chatPane} data-conversation-id={conversation.id}>
        <header className="chat-header">
          {/* Shown only in narrow windows (styles.css), where the chat replaces the list. */}
          <button type="button" className="icon-button back-button" aria-label={t('chat.back')} title={t('chat.back')} onClick={closeConversation}>
            <Icon name="back" size={20} />
          </button>
          <div className="chat-heading">
            <h2 data-testid={TEST_IDS.chatTitle}>{conversation.title}</h2>
            <span className="chat-subtitle" data-testid={TEST_IDS.chatPresence}>
              {isGroup ? t('conversations.members', { count: conversation.members.length }) : presenceKnown && (
                <>
                  <span className={`presence-dot inline${online ? ' is-online' : ''}`} aria-hidden="true" />
                  {online ? t('chat.online') : t('chat.offline')}
                </>
              )}
            </span>
          </div>
          {isGroup && (
            <button type="button" className={`icon-button${panelOpen ? ' is-active' : ''}`} aria-label={t('chat.groupInfo')} aria-expanded={panelOpen} title={t('chat.groupInfo')} onClick={() => useUi.setState({ groupPanelOpen: !panelOpen })} data-testid={TEST_IDS.groupPanelToggle}>
              <Icon name="info" size={20} />
            </button>
          )}
        </header>
        <MessageList key={conversation.id} conversation={conversation} />
        <MessageAnnouncer />
        <TypingIndicator conversationId={conversation.id} />
        <Composer key={`composer-${conversation.id}`} conversationId={conversation.id} blocked={formerContact === undefined ? undefined : <FormerContact user={formerContact} />} />
      </section>
      {isGroup && panelOpen && <GroupPanel conversation={conversation} />}
    </div>
  );
}

/** Says that the other person is no longer a contact, and offers to ask them again. */
function FormerContact({ user }: { user: User }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const waiting = useChat((s) => s.outgoing.some((r) => r.to.id === user.id));
  const theirs = useChat((s) => s.incoming.find((r) => r.from.id === user.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = user.displayName;

  const ask = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await client.request('contacts:request', { userId: user.id });
    if (!result.ok) {
      setBusy(false);
      setError(t(`errors.${result.code}`));
      return;
    }
    updateChat((s) => applyContactRequest(s, result.value.request));
    // Their request crossed ours: accepted at once, and the contact list says so.
    if (result.value.request.status === 'accepted') {
      const list = await client.request('contacts:list', {});
      if (list.ok) updateChat((s) => setContactsList(s, list.value.contacts, list.value.incoming, list.value.outgoing));
    }
    setBusy(false);
  };

  const accept = async (requestId: string): Promise<void> => {
    setBusy(true);
    setError(null);
    const result = await client.request('contacts:respond', { requestId, accept: true });
    setBusy(false);
    if (!result.ok) {
      setError(t(`errors.${result.code}`));
      return;
    }
    const { contact, conversation } = result.value;
    updateChat((s) => {
      const next = applyContactsUpdated(s, contact === undefined ? { request: result.value.request } : { request: result.value.request, contact });
      return conversation === undefined ? next : upsertConversation(next, conversation);
    });
  };

  return (
    <>
      <span>{tJoined(t, 'chat.notContact', { name })}</span>{' '}
      {theirs !== undefined ? (
        <button type="button" className="secondary-button small" disabled={busy} onClick={() => void accept(theirs.id)} data-testid={TEST_IDS.formerContactAccept}>
          {t('chat.acceptRequest')}
        </button>
      ) : waiting ? (
        <span>{tJoined(t, 'chat.requestSent', { name })}</span>
      ) : (
        <button type="button" className="secondary-button small" disabled={busy} onClick={() => void ask()} data-testid={TEST_IDS.formerContactRequest}>
          {t('chat.sendRequest')}
        </button>
      )}
      {error !== null && <span role="alert"> {error}</span>}
    </>
  );
}
