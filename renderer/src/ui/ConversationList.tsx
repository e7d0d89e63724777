import { useMemo, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../protocol';
import { activityTime, displayNameOf, otherMemberId, sortedConversations } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { excerpt } from '../lib/excerpt';
import { listTime } from '../lib/format-time';
import { previewText } from '../lib/message-text';
import { useToday } from '../lib/use-today';
import { TEST_IDS } from '../../test-ids';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { openConversation } from './open-conversation';

/** How much of the last message an item's accessible name reads out. */
const LABEL_PREVIEW_CHARS = 60;

export function ConversationList(): ReactElement {
  const { t } = useTranslation();
  const conversations = useChat((s) => s.conversations);
  const outbox = useChat((s) => s.outbox);
  // Ordered by the time each item shows, which is that of its newest unsent message when it has one.
  const list = useMemo(() => sortedConversations(conversations, outbox), [conversations, outbox]);
  const active = useChat((s) => s.activeConversationId);
  // One subscription for the whole list: "Yesterday" and weekdays move on at midnight by themselves.
  const today = useToday();
  const [filter, setFilter] = useState('');
  // Opening a conversation clears the filter: narrow windows then collapse the list to a strip of
  // avatars without its header, where a filter left applied could not be seen or cleared.
  const [filteredFor, setFilteredFor] = useState(active);
  if (active !== filteredFor) {
    setFilteredFor(active);
    if (active !== null) setFilter('');
  }
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? list : list.filter((c) => c.title.toLowerCase().includes(needle));

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.conversation-item')];
    const at = buttons.findIndex((b) => b === document.activeElement);
    const next = buttons[event.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : Math.max(at - 1, 0)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  };

  return (
    <section className="list-column" aria-label={t('conversations.title')}>
      <header className="list-header">
        <div className="search-box">
          <Icon name="search" size={16} />
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('conversations.filter')} aria-label={t('conversations.filter')} data-testid={TEST_IDS.conversationFilter} />
        </div>
      </header>
      {list.length === 0 ? (
        <p className="list-empty" data-testid={TEST_IDS.emptyConversations}>
          {t('conversations.empty')}
        </p>
      ) : shown.length === 0 ? (
        <p className="list-empty" data-testid={TEST_IDS.conversationsNoMatch}>
          {t('conversations.noMatch')}
        </p>
      ) : (
        <ul className="conversation-list" data-testid={TEST_IDS.conversationList} aria-label={t('conversations.title')} onKeyDown={onKeyDown}>
          {shown.map((conversation) => (
            <li key={conversation.id}>
              <ConversationItem conversation={conversation} active={conversation.id === active} today={today} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ConversationItem({ conversation, active, today }: { conversation: Conversation; active: boolean; today: number }): ReactElement {
  const { t, i18n } = useTranslation();
  const myId = useChat((s) => s.me?.id);
  const otherId = conversation.kind === 'direct' ? otherMemberId(conversation, myId) : undefined;
  const online = useChat((s) => (otherId === undefined ? undefined : (s.presence[otherId] ?? false)));
  const outbox = useChat((s) => s.outbox);
  const pending = useMemo(() => outbox.filter((p) => p.conversationId === conversation.id), [outbox, conversation.id]);
  const last = conversation.lastMessage;
  const lastPending = pending[pending.length - 1];
  const time = activityTime(conversation, lastPending);
  // A string, so the list re-renders only when the words change.
  const lastText = useChat((s) => {
    if (last === undefined) return '';
    const nameOf = (id: string): string | undefined => displayNameOf(s, id, conversation.id);
    const myId = s.me?.id;
    const sender = last.kind === 'system' ? undefined : last.senderId === myId ? t('conversations.you') : conversation.kind === 'group' ? (nameOf(last.senderId) ?? t('chat.unknownUser')) : undefined;
    const text = previewText(last, t, nameOf, myId);
    return sender === undefined ? text : `${sender}${t('conversations.senderSeparator')}${text}`;
  });
  const preview = lastPending !== undefined ? lastPending.text : lastText;
  const unread = conversation.unread;
  const shownTime = listTime(time, today, i18n.language, t('conversations.yesterday'));
  // The label replaces everything inside the button for a screen reader, so it says all a sighted
  // reader sees there: title, unread count, the last message (its start) and its time.
  const spokenPreview = excerpt(preview, LABEL_PREVIEW_CHARS);
  const label = [
    conversation.title,
    unread > 0 ? t('conversations.unread', { count: unread }) : '',
    spokenPreview === '' ? '' : lastPending === undefined ? spokenPreview : t(lastPending.state === 'failed' ? 'conversations.labelFailed' : 'conversations.labelPending', { text: spokenPreview }),
    shownTime,
  ]
    .filter((part) => part !== '')
    .join(t('conversations.labelSeparator'));
  return (
    <button
      type="button"
      className={`conversation-item${active ? ' is-active' : ''}${unread > 0 ? ' has-unread' : ''}`}
      onClick={() => openConversation(conversation.id)}
      aria-current={active ? 'true' : undefined}
      aria-label={label}
      data-testid={TEST_IDS.conversationItem}
      data-conversation-id={conversation.id}
      data-unread={unread}
    >
      <Avatar id={otherId ?? conversation.id} name={conversation.title} size={44} group={conversation.kind === 'group'} {...(online === undefined ? {} : { online })} />
      <span className="conversation-main">
        <span className="conversation-top">
          <span className="conversation-title" data-testid={TEST_IDS.conversationTitle}>
            {conversation.title}
          </span>
          <time className="conversation-time" dateTime={new Date(time).toISOString()} data-testid={TEST_IDS.conversationTime}>
            {shownTime}
          </time>
        </span>
        <span className="conversation-bottom">
          <span className="conversation-preview" data-testid={TEST_IDS.conversationPreview}>
            {lastPending !== undefined && <span className={lastPending.state === 'failed' ? 'preview-failed' : 'preview-pending'}>{lastPending.state === 'failed' ? `[${t('chat.failed')}] ` : <Icon name="clock" size={12} />} </span>}
            {preview}
          </span>
          {unread > 0 && (
            <span className="unread-badge" data-testid={TEST_IDS.unreadBadge} aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </span>
      </span>
    </button>
  );
}
