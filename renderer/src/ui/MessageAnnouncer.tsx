import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../protocol';
import { displayNameOf, type ChatState } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { previewText } from '../lib/message-text';
import { excerpt } from '../lib/excerpt';
import { TEST_IDS } from '../../test-ids';

/** Long enough to know what was said, short enough not to hold up the reader. */
const SPOKEN_CHARS = 120;
/** Each announcement is a new node (additions are what a polite region reads); older ones go. */
const KEPT = 5;

interface Announcement {
  key: string;
  text: string;
}

/** The messages of the open chat that are newer than every message it held a moment ago. */
function arrivals(state: ChatState, previous: ChatState): Message[] {
  const id = state.activeConversationId;
  // Another chat opened: what it shows is history, not news.
  if (id === null || id !== previous.activeConversationId) return [];
  const log = state.messages[id];
  const before = previous.messages[id];
  // The first page of a chat just opened is history too.
  if (log === undefined || before === undefined || log === before || !before.loaded) return [];
  const newestBefore = before.items.at(-1)?.seq ?? 0;
  const fresh: Message[] = [];
  // From the end: older pages loaded at the start change nothing here.
  for (let i = log.items.length - 1; i >= 0; i--) {
    const message = log.items[i];
    if (message === undefined || message.seq <= newestBefore) break;
    fresh.unshift(message);
  }
  return fresh;
}

/** How far back a verdict that just arrived is looked for: previews resolve within seconds of a send. */
const RECENT = 100;

/**
 * Links of the open chat's recent messages from others that have just been found blocked (a
 * `message:updated` after the send): the message was announced while its links were pending,
 * so without this a screen reader user heard the address and never the warning.
 */
function newlyBlocked(state: ChatState, previous: ChatState, myId: string | undefined): { message: Message; url: string }[] {
  const id = state.activeConversationId;
  if (id === null || id !== previous.activeConversationId) return [];
  const log = state.messages[id];
  const before = previous.messages[id];
  if (log === undefined || before === undefined || log === before) return [];
  const earlier = new Map(before.items.slice(-RECENT).map((m) => [m.id, m]));
  const found: { message: Message; url: string }[] = [];
  for (const message of log.items.slice(-RECENT)) {
    const was = earlier.get(message.id);
    if (was === undefined || was === message || message.senderId === myId) continue;
    for (const link of message.links ?? []) {
      if (link.state === 'blocked' && was.links?.find((l) => l.url === link.url)?.state !== 'blocked') found.push({ message, url: link.url });
    }
  }
  return found;
}

/**
 * The chat's one live region, visually hidden: "New message from Ann: …" for a message that has
 * just arrived from someone else in the open chat, a warning when a link of such a message is
 * then found blocked, and nothing else. The message list itself is
 * no live region: being virtualised, it adds old rows to the page whenever the reader scrolls back.
 */
export function MessageAnnouncer(): ReactElement {
  const { t } = useTranslation();
  const [said, setSaid] = useState<Announcement[]>([]);

  useEffect(
    () =>
      useChat.subscribe((state, previous) => {
        if (state.activeConversationId !== previous.activeConversationId) {
          setSaid([]);
          return;
        }
        const myId = state.me?.id;
        const news = arrivals(state, previous).filter((m) => m.kind !== 'system' && m.senderId !== myId);
        const blocked = newlyBlocked(state, previous, myId);
        if (news.length === 0 && blocked.length === 0) return;
        const nameOf = (userId: string): string | undefined => displayNameOf(state, userId, state.activeConversationId ?? '');
        const spoken = [
          ...news.map((m) => ({
            key: m.id,
            text: t('chat.announceNew', { name: nameOf(m.senderId) ?? t('chat.unknownUser'), text: excerpt(previewText(m, t, nameOf, myId), SPOKEN_CHARS) }),
          })),
          ...blocked.map(({ message, url }) => ({
            key: `${message.id} blocked ${url}`,
            text: t('chat.announceBlocked', { name: nameOf(message.senderId) ?? t('chat.unknownUser'), url: excerpt(url, SPOKEN_CHARS) }),
          })),
        ];
        setSaid((earlier) => [...earlier, ...spoken].slice(-KEPT));
      }),
    [t],
  );

  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="false" data-testid={TEST_IDS.messageAnnouncer}>
      {said.map((a) => (
        <p key={a.key}>{a.text}</p>
      ))}
    </div>
  );
}
