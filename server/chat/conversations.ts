/** Listing conversations and opening direct ones (PROTOCOL.md §3). */
import { err, ok } from '../../protocol';
import type { ClientEventResults, Conversation, Result } from '../../protocol';
import type { ClientPayload } from '../../protocol/schemas';
import type { ChatDeps } from './chat-deps';
import { ensureDirectConversation } from './direct-conversations';
import { conversationView, conversationViewsForMembers } from './views';

export class ConversationsService {
  constructor(private readonly deps: ChatDeps) {}

  list(userId: string): Result<ClientEventResults['conversations:list']> {
    const { store } = this.deps;
    const conversations = store.membershipsOf(userId).map(({ conversation, member }) => conversationView(store, conversation, member));
    return ok({ conversations });
  }

  openDirect(userId: string, input: ClientPayload<'conversations:openDirect'>): Result<ClientEventResults['conversations:openDirect']> {
    const { store, fanout, now } = this.deps;
    // Oneself and an unknown id are no contacts either: the one refusal the contract names, as
    // groups:create answers for such member ids (and it says nothing of which ids exist).
    if (input.userId === userId || !store.areContacts(userId, input.userId)) return err('not_contact', 'you can only talk directly with your contacts');
    const { id, created } = ensureDirectConversation(store, userId, input.userId, now());
    if (created) {
      this.deps.members.forget(id);
      for (const { userIds, conversation } of conversationViewsForMembers(store, id)) fanout.toUsers(userIds, 'conversation:updated', conversation);
    }
    const conversation = this.viewFor(id, userId);
    return conversation === undefined ? err('internal', 'the conversation vanished') : ok({ conversation });
  }

  viewFor(conversationId: string, userId: string): Conversation | undefined {
    const { store } = this.deps;
    const conversation = store.conversation(conversationId);
    const member = store.membership(conversationId, userId);
    return conversation === undefined || member === undefined ? undefined : conversationView(store, conversation, member);
  }
}
