/**
 * `conversation:updated` for a conversation whose last message may be old: two people who
 * become contacts again find their direct conversation as they left it, and its last message
 * may be a verified card of a merchant suspended since. Each member's view shows that message
 * as today's verdicts allow (current-previews.ts), as a list or sync would.
 *
 * Why the views are read after the verdicts, not before: a message sent while they are asked
 * goes out at once as `message:new`; a view read earlier and sent later would take the
 * conversation's last message back to the older one on the client.
 */
import type { Conversation, LinkVerdict } from '../../protocol';
import type { LinkServices } from '../links/link-services';
import type { ChatDeps } from './chat-deps';
import { verifiedUrlsOf, withCurrentPreviews } from './current-previews';
import { conversationViewsForMembers } from './views';

/** A message sent while verdicts were asked has links of its own: asked for at most this many times in all. */
const ASKS_MAX = 3;

function unavailable(url: string): LinkVerdict {
  return { url, verdict: 'unverified', reason: 'verification_unavailable' };
}

function withCurrentLast(conversation: Conversation, verdicts: ReadonlyMap<string, LinkVerdict>): Conversation {
  const last = conversation.lastMessage;
  if (last === undefined) return conversation;
  const [current] = withCurrentPreviews([last], verdicts);
  return current === undefined || current === last ? conversation : { ...conversation, lastMessage: current };
}

export function announceConversation(deps: ChatDeps, links: LinkServices | undefined, conversationId: string): void {
  const known = new Map<string, LinkVerdict>();
  const announce = (asks: number): void => {
    const views = conversationViewsForMembers(deps.store, conversationId);
    const last = views.flatMap(({ conversation }) => (conversation.lastMessage === undefined ? [] : [conversation.lastMessage]));
    const missing = links === undefined ? [] : verifiedUrlsOf(last).filter((url) => !known.has(url));
    if (links !== undefined && missing.length > 0 && asks < ASKS_MAX) {
      const learn = (verdicts: readonly LinkVerdict[]): void => {
        missing.forEach((url, i) => known.set(url, verdicts[i] ?? unavailable(url)));
        announce(asks + 1);
      };
      links.verdicts(missing).then(learn, (error: unknown) => {
        deps.log.error('verdicts for a conversation update failed', error);
        learn([]);
      });
      return;
    }
    // Without the link pipeline nothing is downgraded (as history and lists); past the asks a
    // verified link without a verdict shows less (fail closed).
    for (const { userIds, conversation } of views) {
      deps.fanout.toUsers(userIds, 'conversation:updated', links === undefined ? conversation : withCurrentLast(conversation, known));
    }
  };
  announce(0);
}
