import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Conversation } from '../../../protocol';
import { messageLog } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { sameDay, startOfDay } from '../lib/format-time';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { MessageRow, type RowItem } from './MessageRow';

const LOAD_OLDER_WITHIN_PX = 400;
const ESTIMATED_ROW_PX = 64;
const HISTORY_START_PX = 56;

/**
 * The message list, virtualised: only the rows on screen exist in the DOM, so a conversation of
 * 100k messages scrolls like one of 100. The log and the pending sends are read by index, never
 * copied into a second array. Anchored to the end: older pages prepend without moving what the
 * reader sees, and new messages follow only when the reader is already at the bottom.
 */
export function MessageList({ conversation }: { conversation: Conversation }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const conversationId = conversation.id;
  const log = useChat((s) => messageLog(s, conversationId));
  const outbox = useChat((s) => s.outbox);
  const pending = useMemo(() => outbox.filter((p) => p.conversationId === conversationId), [outbox, conversationId]);
  const scroller = useRef<HTMLDivElement>(null);
  const loadingOlder = useRef(false);
  const [loading, setLoading] = useState(false);
  const initialScrollDone = useRef(false);
  const items = log.items;
  const count = items.length + pending.length;

  const rowAt = useCallback(
    (index: number): RowItem | undefined => {
      if (index < items.length) {
        const message = items[index];
        return message === undefined ? undefined : { kind: 'message', message };
      }
      const outgoing = pending[index - items.length];
      return outgoing === undefined ? undefined : { kind: 'pending', pending: outgoing };
    },
    [items, pending],
  );

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 8,
    getItemKey: (index) => {
      const row = rowAt(index);
      if (row === undefined) return index;
      return row.kind === 'message' ? row.message.id : `pending:${row.pending.clientId}`;
    },
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 48,
    paddingStart: log.loaded && !log.hasMore ? HISTORY_START_PX : 12,
    paddingEnd: 12,
  });

  useLayoutEffect(() => {
    if (initialScrollDone.current || !log.loaded || count === 0) return;
    initialScrollDone.current = true;
    virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [log.loaded, count, virtualizer]);

  // Your own new message always brings you to the bottom, wherever you were reading.
  const pendingCount = pending.length;
  const previousPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > previousPending.current) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    previousPending.current = pendingCount;
  }, [pendingCount, count, virtualizer]);

  const maybeLoadOlder = useCallback(() => {
    const element = scroller.current;
    if (element === null || loadingOlder.current || !log.hasMore || !log.loaded) return;
    if (element.scrollTop > LOAD_OLDER_WITHIN_PX) return;
    loadingOlder.current = true;
    setLoading(true);
    void client.loadOlder(conversationId).finally(() => {
      loadingOlder.current = false;
      setLoading(false);
    });
  }, [client, conversationId, log.hasMore, log.loaded]);

  // A short first page may not fill the pane, so no scroll event would ever ask for more.
  useEffect(() => {
    const element = scroller.current;
    if (element !== null && element.scrollHeight <= element.clientHeight + LOAD_OLDER_WITHIN_PX) maybeLoadOlder();
  }, [count, maybeLoadOlder]);

  const virtualItems = virtualizer.getVirtualItems();
  const today = startOfDay(Date.now());

  const previousOf = (index: number): { createdAt: number; senderId: string; system: boolean } | undefined => {
    const row = rowAt(index - 1);
    if (row === undefined) return undefined;
    if (row.kind === 'message') return { createdAt: row.message.createdAt, senderId: row.message.senderId, system: row.message.kind === 'system' };
    return { createdAt: row.pending.createdAt, senderId: '', system: false };
  };

  return (
    <div className="message-scroller" ref={scroller} onScroll={maybeLoadOlder} role="log" aria-label={t('chat.messages')} aria-live="polite" data-testid={TEST_IDS.messageList} tabIndex={0}>
      {(!log.loaded || loading) && (
        <p className="history-loading" data-testid={TEST_IDS.historyLoading}>
          <span className="spinner" aria-hidden="true" /> {t('chat.loadingOlder')}
        </p>
      )}
      <div className="message-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {log.loaded && !log.hasMore && (
          <p className="history-start" data-testid={TEST_IDS.historyStart}>
            {t('chat.historyStart')}
          </p>
        )}
        {virtualItems.map((virtualItem) => {
          const row = rowAt(virtualItem.index);
          if (row === undefined) return null;
          const previous = previousOf(virtualItem.index);
          const createdAt = row.kind === 'message' ? row.message.createdAt : row.pending.createdAt;
          const newDay = previous === undefined || !sameDay(previous.createdAt, createdAt);
          const senderId = row.kind === 'message' ? row.message.senderId : '';
          const continued = !newDay && previous !== undefined && !previous.system && previous.senderId === senderId;
          return (
            <div key={virtualItem.key} className="message-slot" data-index={virtualItem.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${virtualItem.start}px)` }}>
              <MessageRow row={row} conversation={conversation} showDay={newDay} continued={continued} today={today} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
