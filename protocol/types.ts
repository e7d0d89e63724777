/** Shared types of PROTOCOL.md §2–4. Ids are opaque strings; times are epoch milliseconds. */

export interface MerchantRef {
  id: string;
  name: string;
  verified: boolean;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  merchant?: MerchantRef;
}

export interface AuthResult {
  user: User;
  token: string;
  /**
   * Added: proof that this device signed in to this account; sent back with the next login, it
   * keeps that device clear of the username's login limits (docs/protocol.md).
   */
  deviceKey?: string;
}

export interface Contact {
  user: User;
  since: number;
  online: boolean;
}

export type ContactRequestStatus = 'pending' | 'accepted' | 'declined';

export interface ContactRequest {
  id: string;
  from: User;
  to: User;
  note?: string;
  status: ContactRequestStatus;
  createdAt: number;
}

export type MemberRole = 'owner' | 'admin' | 'member';

export interface Member {
  user: User;
  role: MemberRole;
  joinedAt: number;
  /** The highest seq this member has read, when the server shares it (read marks after a reload). */
  readSeq?: number;
}

export type ConversationKind = 'direct' | 'group';

export interface Conversation {
  id: string;
  kind: ConversationKind;
  title: string;
  members: Member[];
  lastSeq: number;
  readSeq: number;
  unread: number;
  lastMessage?: Message;
  createdAt: number;
}

export type MessageKind = 'text' | 'product' | 'system';

export type SystemEvent = 'created' | 'member_added' | 'member_removed' | 'member_left' | 'renamed' | 'role_changed';

export interface SystemInfo {
  event: SystemEvent;
  actorId: string;
  targetIds: string[];
  /** For `renamed`: the new title; for `role_changed`: the new role. */
  detail?: string;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientId: string;
  kind: MessageKind;
  text: string;
  createdAt: number;
  links?: LinkPreview[];
  product?: ProductCard;
  system?: SystemInfo;
}

export type LinkState = 'pending' | 'verified' | 'unverified' | 'blocked';

export type VerdictKind = 'verified' | 'unverified' | 'blocked';

/**
 * Why a verdict is not plain `verified` / `unverified`. `verification_unavailable` is the
 * chat server's fail-closed answer when the verification service cannot be asked.
 */
export type VerdictReason =
  | 'deceptive_url'
  | 'ip_host'
  | 'phishing'
  | 'suspended'
  | 'pending'
  | 'lookalike'
  | 'verification_unavailable'
  /** A verified link whose page redirects off its merchant's domains to an address not blocked (a preview's reason). */
  | 'redirects_elsewhere'
  /** A verified link whose page was not fetched, so where it leads is unknown (a preview's reason). */
  | 'not_checked';

export interface ProductCard {
  url: string;
  title: string;
  price?: string;
  currency?: string;
  image?: string;
  merchant: MerchantRef;
}

export interface LinkPreview {
  url: string;
  state: LinkState;
  reason?: VerdictReason;
  title?: string;
  description?: string;
  siteName?: string;
  image?: string;
  product?: ProductCard;
  merchant?: MerchantRef;
  /** For a blocked lookalike: the verified domain it imitates, so the warning can name it. */
  imitates?: string;
}

export interface LinkVerdict {
  url: string;
  verdict: VerdictKind;
  reason?: VerdictReason;
  merchant?: MerchantRef;
  host?: string;
  registrableDomain?: string;
  /** For a lookalike: the verified domain it imitates. For a blocklisted host: the listed domain. */
  imitates?: string;
}

export type MerchantStatus = 'verified' | 'pending' | 'suspended';

/** A merchant as the verification service stores it (PROTOCOL.md §4). */
export interface Merchant {
  id: string;
  name: string;
  domains: string[];
  status: MerchantStatus;
  createdAt: number;
}
