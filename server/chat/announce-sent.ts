/**
 * What members learn once a send is durable: the message, and when the send carried its sender's
 * read mark past messages of others (a reply reads what it answers), that read mark too, as
 * `messages:read` would have said it. Only a mark that passed unread messages is announced: a
 * sender's mark at its own previous message tells no one anything new, and a 1:1 stream costs no
 * extra frame.
 */
import type { ChatDeps } from './chat-deps';
import type { Written } from './message-writer';

export function announceSent(deps: Pick<ChatDeps, 'fanout' | 'members'>, written: Written): void {
  const { message, created, readers: takenAtCommit, readPast } = written;
  if (!created) return;
  const readers = takenAtCommit ?? deps.members.readersOf(message.conversationId, message.seq);
  deps.fanout.toUsers(readers, 'message:new', message);
  if (readPast === true) deps.fanout.toUsers(readers, 'read', { conversationId: message.conversationId, userId: message.senderId, seq: message.seq });
}
