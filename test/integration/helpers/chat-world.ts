/**
 * A test's chat world: one server and the users and sockets the test creates, all closed by
 * `close()` (call it in afterEach / afterAll). Builds the usual fixtures in one line each.
 */
import type { ChatServerOptions } from '../../../server/chat-server';
import type { Contact, Conversation, User } from '../../../protocol';
import { startTestServer } from './chat-server';
import type { TestServer } from './chat-server';
import { registerUser } from './http';
import { call, connectClient } from './sockets';
import type { ChatClient } from './sockets';

export interface TestUser {
  user: User;
  token: string;
  password: string;
  /** The first connected socket of the user. */
  socket: ChatClient;
}

export interface ChatWorld {
  server: TestServer;
  url: string;
  /** Registers a user and connects one socket. */
  user(fields?: { username?: string; displayName?: string; password?: string }): Promise<TestUser>;
  /** Another socket (device) of a user. */
  device(user: TestUser): Promise<ChatClient>;
  /** a asks b, b accepts: they are contacts with a direct conversation (as b sees it). */
  contacts(a: TestUser, b: TestUser): Promise<{ contact: Contact; conversation: Conversation }>;
  /** The owner creates a group with members that become the owner's contacts first. */
  group(owner: TestUser, members: readonly TestUser[], title?: string): Promise<Conversation>;
  /** Tracks a socket opened elsewhere so that close() closes it too. */
  track(socket: ChatClient): ChatClient;
  close(): Promise<void>;
}

export async function createChatWorld(options: Partial<ChatServerOptions> = {}): Promise<ChatWorld> {
  const server = await startTestServer(options);
  const sockets: ChatClient[] = [];
  const track = (socket: ChatClient) => {
    sockets.push(socket);
    return socket;
  };
  const world: ChatWorld = {
    server,
    url: server.url,
    track,
    async user(fields = {}) {
      const registered = await registerUser(server.url, fields);
      const socket = track(await connectClient(server.url, registered.token));
      return { ...registered, socket };
    },
    async device(user) {
      return track(await connectClient(server.url, user.token));
    },
    async contacts(a, b) {
      const { request } = await call(a.socket, 'contacts:request', { userId: b.user.id });
      const answer = await call(b.socket, 'contacts:respond', { requestId: request.id, accept: true });
      if (answer.contact === undefined || answer.conversation === undefined) throw new Error('accepting did not return contact and conversation');
      return { contact: answer.contact, conversation: answer.conversation };
    },
    async group(owner, members, title = 'Test group') {
      for (const member of members) await world.contacts(owner, member);
      const { conversation } = await call(owner.socket, 'groups:create', { title, memberIds: members.map((m) => m.user.id) });
      return conversation;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await server.close();
    },
  };
  return world;
}
