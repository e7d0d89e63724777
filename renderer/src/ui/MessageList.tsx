import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Conversation, Message } from '../../../protocol';
import { messageLog, otherMemberId } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { useToday } from '../lib/use-today';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { MessageRow, type RowItem } from './MessageRow';
import { RowTextContext, rowText } from './row-text';
import { continuesRun, startsDay, type ListRows } from './row-placement';
import { firstIndexAfter, lastSeenIndex } from './read-position';

const LOAD_OLDER_WITHIN_PX = 400;
const ESTIMATED_ROW_PX = 64;
const HISTORY_START_PX = 56;
/** Within this distance of the end the list counts as at the bottom, and follows new messages. */
const AT_BOTTOM_PX = 48;
/** Scroll events this soon after the opening scroll are its own, not the reader's: they load no older page. */
const INITIAL_SCROLL_SETTLE_MS = 150;
/** Opening a chat loads older pages up to this many messages to reach its first unread one. */
const UNREAD_LOAD_MAX = 1000;


/**
 * Whether the oldest message a member can see is their own joining of the group while earlier
 * messages exist: the server shows a member history only from the message that added them, so
 * for someone added later (or added again) the list does not begin at the group's beginning.
 */
export function joinedLater(first: Message | undefined, myId: string | undefined): boolean {
  const info = first?.system;
  if (first === undefined || info === undefined || myId === undefined || first.seq <= 1) return false;
  return (info.event === 'member_added' || info.event === 'created') && info.targetIds.includes(myId);
}

/**
 * The message list, virtualised: only the rows on screen exist in the DOM, so a conversation of
 * 100k messages scrolls like one of 100. The log and the pending sends are read by index, never
 * copied into a second array. Anchored to the end: older pages prepend without moving what the
 * reader sees, and new messages follow only when the reader is already at the bottom (at the
 * bottom it stays there when the list itself grows or shrinks: the composer, the window). Scrolled
 * up, new messages wait behind a "N new messages" button. A chat opened with unread messages shows
 * a divider before the first of them and starts there when they do not all fit. The list tells
 * the client what its viewport shows: only that is marked read.
 */
export function MessageList({ conversation }: { conversation: Conversation }): ReactElement {
  const { t, i18n } = useTranslation();
  const text = useMemo(() => rowText(t, i18n.language), [t, i18n.language]);
  const client = useClient();
  const conversationId = conversation.id;
  const group = conversation.kind === 'group';
  const myId = useChat((s) => s.me?.id);
  const peerId = group ? undefined : otherMemberId(conversation, myId);
  const log = useChat((s) => messageLog(s, conversationId));
  const outbox = useChat((s) => s.outbox);
  const pending = useMemo(() => outbox.filter((p) => p.conversationId === conversationId), [outbox, conversationId]);
  const scroller = useRef<HTMLDivElement>(null);
  const loadingOlder = useRef(false);
  const [loading, setLoading] = useState(false);
  const initialScrollDone = useRef(false);
  /** When the opening scroll was made (performance.now()): see INITIAL_SCROLL_SETTLE_MS. */
  const initialScrollAt = useRef(-Infinity);
  const items = log.items;
  const count = items.length + pending.length;
  // The read mark when the chat was opened: the divider stays before the first message after it.
  const [openedReadSeq] = useState(() => (conversation.unread > 0 ? conversation.readSeq : undefined));
  const oldestSeq = items[0]?.seq;
  // The first unread message is older than the loaded pages: more are loaded before the first scroll.
  const reachingUnread = openedReadSeq !== undefined && log.loaded && log.hasMore && oldestSeq !== undefined && oldestSeq > openedReadSeq + 1 && items.length < UNREAD_LOAD_MAX;
  const dividerIndex = useMemo(() => {
    if (openedReadSeq === undefined || oldestSeq === undefined) return undefined;
    // Not loaded (more unread than UNREAD_LOAD_MAX): no divider rather than one in the wrong place.
    if (oldestSeq > openedReadSeq + 1 && log.hasMore) return undefined;
    return firstIndexAfter(items, openedReadSeq);
  }, [items, openedReadSeq, oldestSeq, log.hasMore]);
  // Whether the reader was at the bottom after their last scroll: kept when the list is resized.
  const stuckToBottom = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const rows: ListRows = useMemo(() => ({ items, pending }), [items, pending]);
  // Rows are mostly alike: a new row is estimated at the size last measured for a row like it, so
  // a burst of incoming rows seldom needs moving again once the browser has laid them out.
  const learnedSize = useRef({ first: ESTIMATED_ROW_PX, continued: ESTIMATED_ROW_PX });
  // Every size the observer reported, by row key; a measured row's estimate is its own size. The
  // virtualizer keeps a measured size only when it differs from the row's estimate at that moment,
  // and learnedSize moves with every measurement. So a row that measured what it was estimated at
  // was later re-estimated at some other row's size whenever the rows changed (a message:updated,
  // a new message): a tall row with a blocked link's warning got a short row's size and the next
  // row was drawn over it (or a short row a tall one's, leaving a gap). Its element did not change
  // size, so no observer entry ever corrected it until it was scrolled out and back.
  const measuredSize = useRef(new Map<string | number, number>());

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

  // Stable between renders that change no rows: the virtualizer recomputes every row's position
  // whenever this function changes.
  const getItemKey = useCallback(
    (index: number): string | number => {
      if (index < items.length) return items[index]?.id ?? index;
      const outgoing = pending[index - items.length];
      return outgoing === undefined ? index : `pending:${outgoing.clientId}`;
    },
    [items, pending],
  );

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    // Asked for every row not measured yet whenever the count changes: it must stay O(1).
    estimateSize: (index) => measuredSize.current.get(getItemKey(index)) ?? (continuesRun(rows, index) ? learnedSize.current.continued : learnedSize.current.first),
    overscan: 8,
    getItemKey,
    // A row's height as the ResizeObserver reports it, after the browser's own layout. The default
    // reads offsetHeight the moment a row mounts, which forces a layout for each new row (and
    // again after each scroll correction in between): during a burst of incoming messages that
    // was most of every frame. Until the observer reports, a row keeps the size known for its key.
    measureElement: (element, entry, instance) => {
      const index = instance.indexFromElement(element);
      const box = entry?.borderBoxSize[0];
      if (box === undefined) return instance.itemSizeCache.get(getItemKey(index)) ?? instance.options.estimateSize(index);
      const size = Math.round(box.blockSize);
      measuredSize.current.set(getItemKey(index), size);
      if (!startsDay(rows, index)) learnedSize.current[continuesRun(rows, index) ? 'continued' : 'first'] = size;
      return size;
    },
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 48,
    paddingStart: log.loaded && !log.hasMore ? HISTORY_START_PX : 12,
    paddingEnd: 12,
  });

  useLayoutEffect(() => {
    if (initialScrollDone.current || !log.loaded || count === 0 || reachingUnread) return;
    initialScrollDone.current = true;
    // The divider at the top when the unread messages do not all fit; else the bottom (clamped).
    if (dividerIndex !== undefined) virtualizer.scrollToIndex(dividerIndex, { align: 'start' });
    else virtualizer.scrollToIndex(count - 1, { align: 'end' });
    // That scroll must not load older pages by itself: a divider near the top of what is loaded
    // put it within LOAD_OLDER_WITHIN_PX, and a page prepended while the virtualizer still waited
    // to read that scroll back left the list at the top of the history (a flaky e2e run). The
    // reader's own scrolling loads them, once that scroll has been read back.
    initialScrollAt.current = performance.now();
  }, [log.loaded, count, virtualizer, reachingUnread, dividerIndex]);

  // The list's own size changes (the composer grows or shrinks, the window is resized): a reader
  // at the bottom stays at the bottom. Scroll events alone say where the reader is, since shrinking
  // the list moves its end away without a scroll. Through the virtualizer, whose own scroll
  // commands would otherwise put back the offset it last wrote; its observer (made first) has
  // taken the new size by the time this one is called.
  const lastIndex = useRef(count - 1);
  lastIndex.current = count - 1;
  useEffect(() => {
    const element = scroller.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    let height = element.clientHeight;
    const observer = new ResizeObserver(() => {
      if (element.clientHeight === height) return;
      height = element.clientHeight;
      if (stuckToBottom.current && lastIndex.current >= 0) virtualizer.scrollToIndex(lastIndex.current, { align: 'end' });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [virtualizer]);

  // What the viewport shows, after every render (a scroll, a measurement, new rows): the client
  // marks read up to the newest message shown, or all while the list sits at the bottom.
  const reported = useRef<{ seenSeq: number; atBottom: boolean } | undefined>(undefined);
  useEffect(() => {
    const element = scroller.current;
    if (element === null || !initialScrollDone.current) return;
    const top = element.scrollTop;
    const bottom = top + element.clientHeight;
    const bottomNow = element.scrollHeight - bottom <= AT_BOTTOM_PX;
    const seenIndex = lastSeenIndex(virtualizer.getVirtualItems(), top, bottom);
    const seenSeq = seenIndex === undefined ? 0 : (items[Math.min(seenIndex, items.length - 1)]?.seq ?? 0);
    setAtBottom(bottomNow);
    const last = reported.current;
    if (last !== undefined && last.seenSeq === seenSeq && last.atBottom === bottomNow) return;
    reported.current = { seenSeq, atBottom: bottomNow };
    client.reportListView(conversationId, { seenSeq, atBottom: bottomNow });
  });
  useEffect(() => () => client.reportListView(conversationId, undefined), [client, conversationId]);

  // Your own new message always brings you to the bottom, wherever you were reading.
  const pendingCount = pending.length;
  const previousPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > previousPending.current) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    previousPending.current = pendingCount;
  }, [pendingCount, count, virtualizer]);

  const loadOlder = useCallback(() => {
    if (loadingOlder.current || !log.hasMore || !log.loaded) return;
    loadingOlder.current = true;
    setLoading(true);
    void client.loadOlder(conversationId).finally(() => {
      loadingOlder.current = false;
      setLoading(false);
    });
  }, [client, conversationId, log.hasMore, log.loaded]);

  const settleTimer = useRef<number | undefined>(undefined);
  const maybeLoadOlder = useCallback(() => {
    const element = scroller.current;
    if (element === null || element.scrollTop > LOAD_OLDER_WITHIN_PX) return;
    const wait = initialScrollAt.current + INITIAL_SCROLL_SETTLE_MS - performance.now();
    if (wait > 0) {
      // Looked at again once the opening scroll has settled: by then the reader may be up there.
      window.clearTimeout(settleTimer.current);
      settleTimer.current = window.setTimeout(() => maybeLoadOlder(), wait);
      return;
    }
    loadOlder();
  }, [loadOlder]);
  useEffect(() => () => window.clearTimeout(settleTimer.current), []);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (element === null) return;
    stuckToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_BOTTOM_PX;
    maybeLoadOlder();
  }, [maybeLoadOlder]);

  // `loading` is among the inputs because the page's messages reach the store (a new oldestSeq)
  // before its load counts as done: without it the chain stopped after one page, and a chat
  // opened with more unread than two pages hold never scrolled to them nor marked any read.
  useEffect(() => {
    if (reachingUnread && !loading) loadOlder();
  }, [reachingUnread, oldestSeq, loading, loadOlder]);

  const jumpToNewest = useCallback(() => {
    stuckToBottom.current = true;
    virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [virtualizer, count]);

  // A short first page may not fill the pane, so no scroll event would ever ask for more. The
  // virtualizer's own sizes answer this without making the browser lay out after every message.
  const totalSize = virtualizer.getTotalSize();
  const viewportHeight = virtualizer.scrollRect?.height;
  useEffect(() => {
    if (viewportHeight !== undefined && totalSize <= viewportHeight + LOAD_OLDER_WITHIN_PX) maybeLoadOlder();
  }, [totalSize, viewportHeight, maybeLoadOlder]);

  const virtualItems = virtualizer.getVirtualItems();
  // Re-renders at midnight (and after a clock change): "Today" separators follow the local day.
  const today = useToday();


  const newCount = atBottom || !log.loaded ? 0 : conversation.unread;

  return (
    <div className="message-frame">
      {/* Not a live region (no role="log"): the list is virtualised, so scrolling back mounts old rows,
          which a live region would read out as new. MessageAnnouncer says what just arrived. */}
      <div className="message-scroller" ref={scroller} onScroll={onScroll} role="region" aria-label={t('chat.messages')} aria-busy={!log.loaded || loading} data-testid={TEST_IDS.messageList} tabIndex={0}>
        {(!log.loaded || loading) && (
          <p className="history-loading" data-testid={TEST_IDS.historyLoading}>
            <span className="spinner" aria-hidden="true" /> {t('chat.loadingOlder')}
          </p>
        )}
        <div className="message-canvas" style={{ height: totalSize }}>
          {log.loaded && !log.hasMore && (
            <p className="history-start" data-testid={TEST_IDS.historyStart}>
              {joinedLater(items[0], myId) ? t('chat.historyBeforeJoin') : t('chat.historyStart')}
            </p>
          )}
          <RowTextContext value={text}>
            {virtualItems.map((virtualItem) => {
              const row = rowAt(virtualItem.index);
              if (row === undefined) return null;
              const newDay = startsDay(rows, virtualItem.index);
              const divider = virtualItem.index === dividerIndex;
              const continued = !newDay && !divider && continuesRun(rows, virtualItem.index);
              return (
                <div key={virtualItem.key} className="message-slot" data-index={virtualItem.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${virtualItem.start}px)` }}>
                  {divider && (
                    <div className="unread-divider" role="separator" data-testid={TEST_IDS.unreadDivider}>
                      <span>{t('chat.unreadBelow')}</span>
                    </div>
                  )}
                  <MessageRow row={row} group={group} peerId={peerId} showDay={newDay} continued={continued} today={today} />
                </div>
              );
            })}
          </RowTextContext>
        </div>
      </div>
      {newCount > 0 && (
        <button type="button" className="new-messages-jump" onClick={jumpToNewest} data-testid={TEST_IDS.newMessagesJump}>
          {t('chat.newMessages', { count: newCount })}
          <span aria-hidden="true"> ↓</span>
        </button>
      )}
    </div>
  );
}
