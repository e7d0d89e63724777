import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../store/chat-store';
import { otherMemberId } from '../store/chat-state';
import { useUi } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';
import { Icon } from './icons';
import { MessageList } from './MessageList';
import { Composer } from './Composer';
import { TypingIndicator } from './TypingIndicator';
import { GroupPanel } from './GroupPanel';

export function ChatPane(): ReactElement {
  const { t } = useTranslation();
  const conversation = useChat((s) => (s.activeConversationId === null ? undefined : s.conversations[s.activeConversationId]));
  const myId = useChat((s) => s.me?.id);
  const otherId = conversation?.kind === 'direct' ? otherMemberId(conversation, myId) : undefined;
  const online = useChat((s) => (otherId === undefined ? false : (s.presence[otherId] ?? false)));
  const panelOpen = useUi((s) => s.groupPanelOpen);

  if (conversation === undefined) {
    return (
      <section className="chat-pane chat-pane-empty" data-testid={TEST_IDS.chatEmpty}>
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
          <div className="chat-heading">
            <h2 data-testid={TEST_IDS.chatTitle}>{conversation.title}</h2>
            <span className="chat-subtitle" data-testid={TEST_IDS.chatPresence}>
              {isGroup ? t('conversations.members', { count: conversation.members.length }) : (
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
        <TypingIndicator conversationId={conversation.id} />
        <Composer key={`composer-${conversation.id}`} conversationId={conversation.id} />
      </section>
      {isGroup && panelOpen && <GroupPanel conversation={conversation} />}
    </div>
  );
}
