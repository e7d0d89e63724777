/**
 * Demo people, contacts, conversations and messages, through the chat server's own HTTP and
 * Socket.IO APIs — the same paths a client takes, so the demo shows what the server really
 * does. Each step looks before it acts (an existing account signs in, an existing contact or
 * group is reused, a message's fixed clientId returns the stored message), so seeding twice
 * changes nothing.
 */
import { io, type Socket } from 'socket.io-client';
import type { AckResult, AuthResult, ClientEventResults, ClientToServerEvents, Message, ServerToClientEvents, User } from '../../protocol';
import type { ClientEventName, ClientPayload } from '../../protocol/schemas';
import { DEMO_CONTACTS, DEMO_GROUP, DEMO_MESSAGES, DEMO_PASSWORD, DEMO_USERS, type DemoPlace, type DemoUserKey, type DemoUserSpec } from './demo-data';
import { DemoSeedError } from './seed-verify';

type DemoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Session {
  user: User;
  token: string;
  socket: DemoSocket;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** How long the seeder waits for link previews of the messages it sent, before it says so. */
const PREVIEW_WAIT_MS = 15_000;

async function postJson(baseUrl: string, route: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(route, baseUrl), {
    method: 'POST',
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Registers the demo account, or signs in when it already exists. */
async function signIn(chatUrl: string, spec: DemoUserSpec): Promise<AuthResult> {
  const registered = await postJson(chatUrl, '/api/v1/register', { username: spec.username, password: DEMO_PASSWORD, displayName: spec.displayName });
  if (registered.status === 201) return registered.body as AuthResult;
  const loggedIn = await postJson(chatUrl, '/api/v1/login', { username: spec.username, password: DEMO_PASSWORD });
  if (loggedIn.status === 200) return loggedIn.body as AuthResult;
  throw new DemoSeedError(`cannot sign in as ${spec.username} (register ${registered.status}, login ${loggedIn.status}); was its password changed?`);
}

function connect(chatUrl: string, token: string): Promise<DemoSocket> {
  const socket: DemoSocket = io(chatUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: REQUEST_TIMEOUT_MS });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new DemoSeedError(`cannot connect to the chat server: ${error.message}`));
    });
  });
}

async function ask<E extends ClientEventName>(socket: DemoSocket, event: E, payload: ClientPayload<E>): Promise<ClientEventResults[E]> {
  // The typed event map cannot be indexed by a generic event name; the ack shape is the contract's.
  const timed = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as { emitWithAck(event: E, payload: ClientPayload<E>): Promise<AckResult<ClientEventResults[E]>> };
  const result = await timed.emitWithAck(event, payload);
  if (!result.ok) throw new DemoSeedError(`${event} failed: ${result.error.code} ${result.error.message}`);
  return result;
}

async function ensureContacts(a: Session, b: Session): Promise<void> {
  const { contacts } = await ask(a.socket, 'contacts:list', {});
  if (contacts.some((c) => c.user.id === b.user.id)) return;
  const { request } = await ask(a.socket, 'contacts:request', { userId: b.user.id });
  if (request.status === 'pending') await ask(b.socket, 'contacts:respond', { requestId: request.id, accept: true });
}

async function ensureGroup(owner: Session, members: readonly Session[]): Promise<string> {
  const { conversations } = await ask(owner.socket, 'conversations:list', {});
  const existing = conversations.find((c) => c.kind === 'group' && c.title === DEMO_GROUP.title && c.members.some((m) => m.user.id === owner.user.id && m.role === 'owner'));
  if (existing !== undefined) return existing.id;
  const { conversation } = await ask(owner.socket, 'groups:create', { title: DEMO_GROUP.title, memberIds: members.map((m) => m.user.id) });
  return conversation.id;
}

/** Resolves once `message:updated` arrived for every id given, or when the deadline passes. */
class PreviewWatch {
  private readonly updated = new Set<string>();
  private readonly waiting = new Set<string>();
  private wake: (() => void) | undefined;

  watch(socket: DemoSocket): void {
    socket.on('message:updated', (update) => {
      this.updated.add(update.messageId);
      this.waiting.delete(update.messageId);
      if (this.waiting.size === 0) this.wake?.();
    });
  }

  expect(message: Message): void {
    if (message.links?.some((link) => link.state === 'pending') === true && !this.updated.has(message.id)) this.waiting.add(message.id);
  }

  /** The number of messages whose previews had not arrived by the deadline. */
  async settle(timeoutMs: number): Promise<number> {
    if (this.waiting.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.waiting.size;
  }
}

export interface ChatSeedResult {
  /** Messages sent for the first time by this run (0 on a second start). */
  created: number;
  /** Seeded messages whose link previews had not resolved when seeding finished. */
  previewsPending: number;
}

export async function seedDemoChat(chatUrl: string, adminToken: string, merchant: { user: DemoUserKey; merchantId: string }): Promise<ChatSeedResult> {
  const auth = new Map<DemoUserKey, AuthResult>();
  for (const spec of DEMO_USERS) auth.set(spec.username, await signIn(chatUrl, spec));

  const linked = await postJson(chatUrl, '/api/v1/admin/merchant-links', { username: merchant.user, merchantId: merchant.merchantId }, adminToken);
  if (linked.status !== 200) throw new DemoSeedError(`linking ${merchant.user} to its merchant failed: ${linked.status} ${JSON.stringify(linked.body)}`);

  const sessions = new Map<DemoUserKey, Session>();
  const previews = new PreviewWatch();
  try {
    for (const [key, { user, token }] of auth) {
      const socket = await connect(chatUrl, token);
      previews.watch(socket);
      sessions.set(key, { user, token, socket });
    }
    const session = (key: DemoUserKey): Session => {
      const found = sessions.get(key);
      if (found === undefined) throw new Error(`no demo session for ${key}`);
      return found;
    };

    for (const [a, b] of DEMO_CONTACTS) await ensureContacts(session(a), session(b));
    const groupId = await ensureGroup(session(DEMO_GROUP.owner), DEMO_GROUP.members.map(session));
    const place = async (from: Session, to: DemoPlace): Promise<string> => {
      if ('group' in to) return groupId;
      const other = to.direct[0] === from.user.username ? to.direct[1] : to.direct[0];
      return (await ask(from.socket, 'conversations:openDirect', { userId: session(other).user.id })).conversation.id;
    };

    const started = Date.now();
    let created = 0;
    for (const spec of DEMO_MESSAGES) {
      const from = session(spec.from);
      const conversationId = await place(from, spec.to);
      const { message } =
        'product' in spec
          ? await ask(from.socket, 'products:share', { conversationId, clientId: spec.clientId, url: spec.product })
          : await ask(from.socket, 'messages:send', { conversationId, clientId: spec.clientId, text: spec.text });
      // A message stored by an earlier run comes back with its original time.
      if (message.createdAt >= started) created++;
      previews.expect(message);
    }
    return { created, previewsPending: await previews.settle(PREVIEW_WAIT_MS) };
  } finally {
    for (const { socket } of sessions.values()) socket.close();
    // The seeder's own sign-ins end here, so restarts leave no sessions behind.
    await Promise.all([...auth.values()].map(({ token }) => postJson(chatUrl, '/api/v1/logout', undefined, token).catch(() => undefined)));
  }
}
