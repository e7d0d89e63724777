import { memo, type ReactElement } from 'react';
import type { Message } from '../../../protocol';
import { displayNameOf, memberReadSeq, readCount, type PendingMessage } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import { clockTime, dayLabel } from '../lib/format-time';
import { systemSentence } from '../lib/system-text';
import { tJoined } from '../lib/cjk-spacing';
import { TEST_IDS } from '../../test-ids';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { useClient } from './client-context';
import { MessageText } from './MessageText';
import { LinkPreviews } from './LinkPreviews';
import { ProductCardView } from './ProductCardView';
import { useRowText } from './row-text';

export type RowItem = { kind: 'message'; message: Message } | { kind: 'pending'; pending: PendingMessage };

interface RowProps {
  row: RowItem;
  /** Not the conversation itself: it changes with every message, and every row would re-render. */
  group: boolean;
  /** The other member of a direct conversation, whose read mark own messages show. */
  peerId: string | undefined;
  showDay: boolean;
  continued: boolean;
  /** Start of today: day labels change only when it does. */
  today: number;
}

function rowContent(row: RowItem): Message | PendingMessage {
  return row.kind === 'message' ? row.message : row.pending;
}

/** Rows are rebuilt as wrappers on every render; what matters is the message inside. */
function sameRow(a: RowProps, b: RowProps): boolean {
  return rowContent(a.row) === rowContent(b.row) && a.group === b.group && a.peerId === b.peerId && a.showDay === b.showDay && a.continued === b.continued && a.today === b.today;
}

export const MessageRow = memo(function MessageRow({ row, group, peerId, showDay, continued, today }: RowProps): ReactElement {
  const { language, labels } = useRowText();
  const createdAt = row.kind === 'message' ? row.message.createdAt : row.pending.createdAt;
  return (
    <>
      {showDay && (
        <div className="day-separator" role="separator" data-testid={TEST_IDS.daySeparator}>
          <span>{dayLabel(createdAt, today, language, labels.today, labels.yesterday)}</span>
        </div>
      )}
      {row.kind === 'pending' ? (
        <PendingRow pending={row.pending} />
      ) : row.message.kind === 'system' ? (
        <SystemRow message={row.message} />
      ) : (
        <MessageBubbleRow message={row.message} group={group} peerId={peerId} continued={continued} />
      )}
    </>
  );
}, sameRow);

function SystemRow({ message }: { message: Message }): ReactElement {
  const { t } = useRowText();
  const sentence = useChat((s) => systemSentence(message, t, (id) => displayNameOf(s, id, message.conversationId), s.me?.id));
  return (
    <div className="system-message" role="note" data-testid={TEST_IDS.messageRow} data-message-id={message.id} data-seq={message.seq} data-kind="system" data-state="sent">
      <span data-testid={TEST_IDS.systemMessage}>{sentence}</span>
    </div>
  );
}

/** The first words of a message, to tell its Share button from every other one. */
const EXCERPT_CHARS = 40;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= EXCERPT_CHARS) return flat;
  const cut = chars.slice(0, EXCERPT_CHARS).join('');
  // End on a whole word where words are spaced; Chinese has no spaces and is cut anywhere.
  const space = chars[EXCERPT_CHARS] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space > EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function ShareButton({ text, summary, senderName }: { text: string; summary: string; senderName: string | undefined }): ReactElement {
  const { t, labels } = useRowText();
  const name = senderName === undefined ? tJoined(t, 'chat.shareOwn', { excerpt: excerpt(summary) }) : tJoined(t, 'chat.shareFrom', { name: senderName, excerpt: excerpt(summary) });
  return (
    <button type="button" className="message-action" aria-label={name} title={labels.share} onClick={() => useUi.setState({ share: { text } })} data-testid={TEST_IDS.messageShare}>
      <Icon name="share" size={15} />
    </button>
  );
}

/** Words a screen reader reads between the parts of a row, so that "Read by 3" does not run into the next sender. */
function Hidden({ text }: { text: string }): ReactElement {
  return <span className="visually-hidden">{text}</span>;
}

function ReadMark({ message, group, peerId }: { message: Message; group: boolean; peerId: string | undefined }): ReactElement {
  const { t, labels } = useRowText();
  const directRead = useChat((s) => (group || peerId === undefined ? false : memberReadSeq(s, message.conversationId, peerId) >= message.seq));
  const groupCount = useChat((s) => (group ? readCount(s, message) : 0));
  if (!group) {
    return (
      <>
      <Hidden text={labels.partSeparator} />
      <span className={`read-mark${directRead ? ' is-read' : ''}`} data-testid={TEST_IDS.readMark} data-read={directRead ? 'true' : 'false'}>
        {directRead ? labels.read : labels.unread}
      </span>
      </>
    );
  }
  return (
    <>
    {groupCount > 0 && <Hidden text={labels.partSeparator} />}
    <span className={`read-mark${groupCount > 0 ? ' is-read' : ''}`} data-testid={TEST_IDS.readMark} data-read-count={groupCount}>
      {groupCount > 0 ? t('chat.readBy', { count: groupCount }) : ''}
    </span>
    </>
  );
}

function MessageBubbleRow({ message, group, peerId, continued }: { message: Message; group: boolean; peerId: string | undefined; continued: boolean }): ReactElement {
  const { language, labels } = useRowText();
  const myId = useChat((s) => s.me?.id);
  const senderName = useChat((s) => displayNameOf(s, message.senderId, message.conversationId));
  const own = message.senderId === myId;
  const showName = group && !own && !continued;
  const card = message.kind === 'product' ? message.product : undefined;
  const shareText = card !== undefined ? card.url : message.text;
  const summary = card !== undefined ? card.title : message.text;
  const { t } = useRowText();
  const shownName = senderName ?? t('chat.unknownUser');
  const meta = (
    <span className="message-meta">
      <time data-testid={TEST_IDS.messageTime} dateTime={new Date(message.createdAt).toISOString()}>
        {clockTime(message.createdAt, language)}
      </time>
      {own && <ReadMark message={message} group={group} peerId={peerId} />}
      <Hidden text={labels.rowEnd} />
    </span>
  );
  return (
    <article
      className={`message-row${own ? ' is-own' : ''}${continued ? ' is-continued' : ''}`}
      data-testid={TEST_IDS.messageRow}
      data-message-id={message.id}
      data-client-id={message.clientId}
      data-seq={message.seq}
      data-kind={message.kind}
      data-state="sent"
      data-own={own ? 'true' : 'false'}
    >
      {!own && (continued ? <span className="avatar-spacer" /> : <Avatar id={message.senderId} name={senderName ?? '?'} size={36} />)}
      <div className="message-stack">
        {showName ? (
          <>
            <span className="message-sender" data-testid={TEST_IDS.messageSender}>
              {shownName}
            </span>
            <Hidden text={labels.senderSeparator} />
          </>
        ) : (
          <Hidden text={`${own ? labels.you : shownName}${labels.senderSeparator}`} />
        )}
        <div className="bubble-line">
          {card !== undefined ? (
            <div className="bubble bubble-card">
              <ProductCardView product={card} meta={meta} />
            </div>
          ) : (
            <div className="bubble">
              <MessageText message={message} />
              <LinkPreviews links={message.links} />
              {meta}
            </div>
          )}
          {/* After the bubble for both sides, so the row reads sender, text, time; CSS shows your own on the left. */}
          <ShareButton text={shareText} summary={summary} senderName={own ? undefined : shownName} />
        </div>
      </div>
    </article>
  );
}

function PendingRow({ pending }: { pending: PendingMessage }): ReactElement {
  const { t, language, labels } = useRowText();
  const client = useClient();
  const failed = pending.state === 'failed';
  return (
    <article className="message-row is-own is-pending" data-testid={TEST_IDS.messageRow} data-client-id={pending.clientId} data-kind="text" data-state={pending.state} data-own="true">
      <div className="message-stack">
        <Hidden text={`${labels.you}${labels.senderSeparator}`} />
        <div className="bubble-line">
          <div className="bubble">
            <p className="message-text" data-testid={TEST_IDS.messageText}>
              {pending.text}
            </p>
            <span className="message-meta">
              <time data-testid={TEST_IDS.messageTime} dateTime={new Date(pending.createdAt).toISOString()}>
                {clockTime(pending.createdAt, language)}
              </time>
              {!failed && (
                <>
                  <Hidden text={labels.partSeparator} />
                  <span className="pending-text">{t('chat.pending')}</span>
                </>
              )}
              <Hidden text={labels.rowEnd} />
            </span>
          </div>
          {failed ? (
            <button type="button" className="retry-button" onClick={() => client.retry(pending.clientId)} aria-label={`${t('chat.retry')}: ${pending.text.slice(0, 40)}`} title={pending.error === undefined ? t('chat.failed') : t(`errors.${pending.error}`)} data-testid={TEST_IDS.messageRetry}>
              <Icon name="retry" size={15} />
              {t('chat.retry')}
            </button>
          ) : (
            // No role="status": the list holds no live region (a row scrolled back into view would be announced again); "Sending…" is read in the bubble.
            <span className="pending-mark" aria-hidden="true" data-testid={TEST_IDS.messagePending}>
              <Icon name="clock" size={14} />
            </span>
          )}
        </div>
        {failed && (
          <span className="failed-mark" role="alert" data-testid={TEST_IDS.messageFailed}>
            {t('chat.failed')}
            {pending.error !== undefined && ` · ${t(`errors.${pending.error}`)}`}
          </span>
        )}
      </div>
    </article>
  );
}
