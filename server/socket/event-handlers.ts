/**
 * Every client-to-server event and the service call that answers it. An event without an entry
 * here (`links:verdict` and `products:share` on a server without the link pipeline) is answered
 * `invalid_input` like an unknown one, never left hanging.
 */
import type { ClientEventResults, Result } from '../../protocol';
import type { ClientEventName, ClientPayload } from '../../protocol/schemas';
import type { ContactsService } from '../chat/contacts';
import type { ConversationsService } from '../chat/conversations';
import type { GroupsService } from '../chat/groups';
import type { MessagesService } from '../chat/messages';
import type { LinkServices } from '../links/link-services';
import { ok } from '../../protocol';

export interface EventContext {
  userId: string;
}

export type EventHandler<E extends ClientEventName> = (ctx: EventContext, payload: ClientPayload<E>) => Result<ClientEventResults[E]> | Promise<Result<ClientEventResults[E]>>;

export type EventHandlers = { [E in ClientEventName]?: EventHandler<E> };

export interface Services {
  contacts: ContactsService;
  conversations: ConversationsService;
  groups: GroupsService;
  messages: MessagesService;
  search(userId: string, query: string): ClientEventResults['users:search'];
  users(userIds: readonly string[]): ClientEventResults['users:get'];
  links?: LinkServices;
}

export function eventHandlers(services: Services): EventHandlers {
  const { contacts, conversations, groups, messages, links } = services;
  const handlers: EventHandlers = {
    'users:search': (ctx, p) => ok(services.search(ctx.userId, p.query)),
    'users:get': (_ctx, p) => ok(services.users(p.userIds)),
    'contacts:list': (ctx) => contacts.list(ctx.userId),
    'contacts:request': (ctx, p) => contacts.request(ctx.userId, p),
    'contacts:respond': async (ctx, p) => {
      const answered = contacts.respond(ctx.userId, p);
      const conversation = answered.ok ? answered.value.conversation : undefined;
      if (!answered.ok || conversation === undefined) return answered;
      // The direct conversation's last message as today's verdicts allow (a pair that were contacts before).
      const [current] = await messages.currentConversations([conversation]);
      return ok({ ...answered.value, conversation: current ?? conversation });
    },
    'contacts:remove': (ctx, p) => contacts.remove(ctx.userId, p),
    'conversations:list': async (ctx) => {
      const listed = conversations.list(ctx.userId);
      return listed.ok ? ok({ conversations: await messages.currentConversations(listed.value.conversations) }) : listed;
    },
    'conversations:openDirect': async (ctx, p) => {
      const opened = conversations.openDirect(ctx.userId, p);
      if (!opened.ok) return opened;
      const [current] = await messages.currentConversations([opened.value.conversation]);
      return ok({ conversation: current ?? opened.value.conversation });
    },
    'groups:create': (ctx, p) => groups.create(ctx.userId, p),
    'groups:addMembers': (ctx, p) => groups.addMembers(ctx.userId, p),
    'groups:removeMember': (ctx, p) => groups.removeMember(ctx.userId, p),
    'groups:setRole': (ctx, p) => groups.setRole(ctx.userId, p),
    'groups:rename': (ctx, p) => groups.rename(ctx.userId, p),
    'groups:leave': (ctx, p) => groups.leave(ctx.userId, p),
    'messages:send': (ctx, p) => messages.send(ctx.userId, p),
    'messages:history': (ctx, p) => messages.history(ctx.userId, p),
    'messages:sync': (ctx, p) => messages.sync(ctx.userId, p),
    'messages:read': (ctx, p) => messages.read(ctx.userId, p),
    typing: (ctx, p) => messages.typing(ctx.userId, p),
  };
  if (links !== undefined) {
    handlers['links:verdict'] = async (_ctx, p) => {
      const verdict = await links.verdict(p.url);
      return verdict.ok ? ok({ verdict: verdict.value }) : verdict;
    };
  }
  if (messages.canShareProducts) handlers['products:share'] = (ctx, p) => messages.shareProduct(ctx.userId, p);
  return handlers;
}
