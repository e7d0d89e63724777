/** The typed Socket.IO server of the chat (PROTOCOL.md §3). */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';

export interface SocketData {
  userId: string;
  tokenHash: string;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
type InterServerEvents = {};

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The engine.io session under a socket (one per client connection, whatever its transport). */
export type EngineConnection = ChatSocket['conn'];
