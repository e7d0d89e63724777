/** The typed Socket.IO event maps of PROTOCOL.md §3. */
import type { ApiError } from './errors';
import type { ClientEventName, ClientPayload } from './schemas';
import type {
  Contact,
  ContactRequest,
  Conversation,
  LinkPreview,
  LinkVerdict,
  Message,
  User,
} from './types';

export type AckResult<T extends object> = ({ ok: true } & T) | { ok: false; error: ApiError };
export type Ack<T extends object> = (result: AckResult<T>) => void;

/** What each client-to-server event answers with, on success. */
export interface ClientEventResults {
  'users:search': { users: User[] };
  /** Added: the users with those ids that exist, in no particular order. */
  'users:get': { users: User[] };
  'contacts:list': { contacts: Contact[]; incoming: ContactRequest[]; outgoing: ContactRequest[] };
  'contacts:request': { request: ContactRequest };
  'contacts:respond': { request: ContactRequest; contact?: Contact; conversation?: Conversation };
  'contacts:remove': Record<string, never>;
  'conversations:list': { conversations: Conversation[] };
  'conversations:openDirect': { conversation: Conversation };
  'groups:create': { conversation: Conversation };
  'groups:addMembers': { conversation: Conversation };
  'groups:removeMember': { conversation: Conversation };
  'groups:setRole': { conversation: Conversation };
  'groups:rename': { conversation: Conversation };
  'groups:leave': Record<string, never>;
  'messages:send': { message: Message };
  'messages:history': { messages: Message[]; hasMore: boolean };
  'messages:sync': {
    messages: Message[];
    conversations: Conversation[];
    hasMore: boolean;
    /** Ids named in `since` that are not (or no longer) the caller's: left or removed while offline. */
    removed: string[];
  };
  'messages:read': Record<string, never>;
  typing: Record<string, never>;
  'products:share': { message: Message };
  'links:verdict': { verdict: LinkVerdict };
}

/** Payload types as a client writes them (before defaults and trimming). */
export type ClientEventPayloads = { [E in ClientEventName]: ClientPayload<E> };

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: Ack<ClientEventResults[E]>) => void;
};

export interface MessageUpdated {
  conversationId: string;
  messageId: string;
  links: LinkPreview[];
}

export interface ContactsUpdated {
  contact?: Contact;
  removedUserId?: string;
  request?: ContactRequest;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  'message:updated': (update: MessageUpdated) => void;
  'conversation:updated': (conversation: Conversation) => void;
  'conversation:removed': (removed: { conversationId: string }) => void;
  'contacts:request': (request: ContactRequest) => void;
  'contacts:updated': (update: ContactsUpdated) => void;
  presence: (presence: { userId: string; online: boolean }) => void;
  typing: (typing: { conversationId: string; userId: string }) => void;
  read: (read: { conversationId: string; userId: string; seq: number }) => void;
  /** Added: the user's own profile changed (its merchant badge), to every socket of that user. */
  'me:updated': (update: { user: User }) => void;
}
