/**
 * The one seam between the chat services and storage (DESIGN.md §2). SQLite implements it
 * today (`sqlite-store.ts`); another engine implements the same domain-shaped methods. Every
 * method is atomic on its own; `transaction` groups several into one atomic unit.
 */
import type { ContactRequestStatus, ConversationKind, LinkPreview, MemberRole, MerchantRef, Message, MessageKind, ProductCard, SystemInfo, User } from '../../protocol';

export interface StoredCredentials {
  user: User;
  passwordHash: string;
}

export interface ContactRecord {
  user: User;
  since: number;
}

export interface ContactRequestRecord {
  id: string;
  fromId: string;
  toId: string;
  note?: string;
  status: ContactRequestStatus;
  createdAt: number;
}

export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  title: string;
  createdAt: number;
  /** The newest message's seq (0 without messages). */
  lastSeq: number;
  /** The newest message's time, else the conversation's creation. */
  lastActivity: number;
}

export interface MemberRecord {
  userId: string;
  role: MemberRole;
  joinedAt: number;
  /** The first seq this member may read: the message announcing its arrival. */
  joinSeq: number;
  readSeq: number;
}

export interface MemberJoin {
  userId: string;
  joinSeq: number;
}

export interface MemberWithUser extends MemberRecord {
  user: User;
}

/** A conversation seen from one of its members. */
export interface MembershipRecord {
  conversation: ConversationRecord;
  member: MemberRecord;
}

export interface NewMessage {
  conversationId: string;
  senderId: string;
  clientId: string;
  kind: MessageKind;
  text: string;
  createdAt: number;
  links?: LinkPreview[];
  product?: ProductCard;
  system?: SystemInfo;
}

export interface NewMember {
  userId: string;
  role: MemberRole;
  joinedAt: number;
  joinSeq: number;
  readSeq: number;
}

export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}

/** Whether a user may send into a conversation now (PROTOCOL.md §3 `messages:send`). */
export type SendPermission = 'allowed' | 'not_member' | 'not_contact';

export interface ChatStore {
  transaction<T>(work: () => T): T;
  /**
   * Like `transaction`, but the commit does not wait for the disk; what it wrote is durable
   * (as the store's sync mode promises) once a `syncCommitted` called AFTER it resolves. What
   * it wrote is visible to reads right after the commit. For the message writer's group commit.
   */
  transactionDeferredSync<T>(work: () => T): T;
  /**
   * Whether a transaction is open. A failing statement inside a savepoint may roll back the whole
   * transaction, not only the savepoint (SQLite does on a full disk): whoever catches it must not
   * carry on as if the rest were still in a transaction.
   */
  inTransaction(): boolean;
  /** Resolves once every commit made before the call is durable; rejects if the disk failed. */
  syncCommitted(): Promise<void>;
  /** After the writer's last `syncCommitted` has settled. */
  close(): Promise<void>;

  // Users and sessions
  createUser(user: { id: string; username: string; displayName: string; passwordHash: string; createdAt: number }): 'created' | 'username_taken';
  credentialsByUsername(username: string): StoredCredentials | undefined;
  userById(id: string): User | undefined;
  usersByIds(ids: readonly string[]): Map<string, User>;
  searchUsers(query: string, excludeId: string, limit: number): User[];
  setUserMerchant(userId: string, merchant: MerchantRef | null): void;
  /** The merchants some user is linked to. */
  linkedMerchantIds(): string[];
  /** The users linked to a merchant, with its badge as each last stored it. */
  usersOfMerchant(merchantId: string): { userId: string; merchant: MerchantRef }[];
  userByUsername(username: string): User | undefined;
  createSession(tokenHash: string, userId: string, createdAt: number): void;
  sessionUserId(tokenHash: string): string | undefined;
  deleteSession(tokenHash: string): boolean;
  /** How many sessions the user has open. */
  sessionCount(userId: string): number;
  /** The token hash of the user's oldest session (earliest `createdAt`). */
  oldestSession(userId: string): string | undefined;

  // Contacts
  contactsOf(userId: string): ContactRecord[];
  contactIdsOf(userId: string): string[];
  areContacts(a: string, b: string): boolean;
  /** When b became a contact of a, if it is one. */
  contactSince(a: string, b: string): number | undefined;
  addContactPair(a: string, b: string, since: number): void;
  removeContactPair(a: string, b: string): boolean;
  contactRequest(id: string): ContactRequestRecord | undefined;
  pendingRequest(fromId: string, toId: string): ContactRequestRecord | undefined;
  pendingRequestsOf(userId: string): { incoming: ContactRequestRecord[]; outgoing: ContactRequestRecord[] };
  insertContactRequest(request: ContactRequestRecord): void;
  setContactRequestStatus(id: string, status: ContactRequestStatus): void;

  // Conversations and members
  directConversationId(a: string, b: string): string | undefined;
  insertConversation(conversation: { id: string; kind: ConversationKind; title: string; createdAt: number; directKey?: string }): void;
  conversation(id: string): ConversationRecord | undefined;
  setConversationTitle(id: string, title: string): void;
  membersOf(conversationId: string): MemberWithUser[];
  /** Each member's id and the seq from which it may read the conversation. */
  memberJoinsOf(conversationId: string): MemberJoin[];
  memberCount(conversationId: string): number;
  membership(conversationId: string, userId: string): MemberRecord | undefined;
  /** One read: member of the conversation and, in a direct one, still a contact of the other member. */
  sendPermission(conversationId: string, senderId: string): SendPermission;
  /** Every conversation of a user, most recent activity first. */
  membershipsOf(userId: string): MembershipRecord[];
  insertMember(conversationId: string, member: NewMember): void;
  deleteMember(conversationId: string, userId: string): boolean;
  setRole(conversationId: string, userId: string, role: MemberRole): void;
  /** The member who has been there longest among those with the role, the caller excluded. */
  longestStanding(conversationId: string, role: MemberRole): string | undefined;
  /** Moves a read mark forward only; answers whether it moved. */
  advanceReadSeq(conversationId: string, userId: string, seq: number): boolean;
  /**
   * Moves the sender's read mark to its own new message at `seq`; answers whether the mark passed
   * messages it had not reached (others wrote since the sender last read), which members are told.
   */
  advanceReadSeqToOwn(conversationId: string, userId: string, seq: number): boolean;

  // Messages
  /** Assigns the next seq of the conversation in the running transaction and stores the message. */
  appendMessage(message: NewMessage): Message;
  messageByClientId(senderId: string, clientId: string): Message | undefined;
  /**
   * A message committed but not yet durable (its WAL sync is under way, or failed): until it is
   * released, reads stop before it (`lastMessage`, `history`, `messagesAfter`, and a
   * conversation's `lastSeq`), so that no one reads what a power loss could still take back and
   * give its seq to another message. Its sender and retries are answered only once it is
   * durable too (message-writer.ts).
   */
  holdBack(conversationId: string, seq: number): void;
  /** The message is durable: reads may show it. */
  release(conversationId: string, seq: number): void;
  lastMessage(conversationId: string): Message | undefined;
  /** Messages with fromSeq ≤ seq < beforeSeq, newest `limit`, returned ascending. */
  history(conversationId: string, fromSeq: number, beforeSeq: number, limit: number): MessagePage;
  /** Messages with seq > afterSeq, oldest first, at most `limit`. */
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Message[];
  /** A message's link previews as stored now. */
  messageLinks(conversationId: string, seq: number): LinkPreview[] | undefined;
  setMessageLinks(conversationId: string, seq: number, links: LinkPreview[]): boolean;
}
