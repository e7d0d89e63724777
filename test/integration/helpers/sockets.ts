/**
 * Socket.IO clients for tests: typed connections, emit-with-ack as a promise, and waiting for
 * a server event with a deadline (never a fixed sleep).
 */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { AckResult, ClientEventResults, ClientToServerEvents, ServerToClientEvents } from '../../../protocol';
import type { ClientEventName } from '../../../protocol/schemas';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The same socket without event typing, for sending what a well-behaved client never would. */
export interface RawClient {
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

export function raw(socket: ChatClient): RawClient {
  return socket as unknown as RawClient;
}

/**
 * Connects as socket.io-client does by default (long-polling, then the websocket upgrade), as a
 * client written from PROTOCOL.md alone would; no reconnection. Resolves once connected,
 * rejects with the connect_error. (The app itself tries the websocket first, polling after.)
 */
export function connectClient(url: string, token: string | undefined, options: { timeoutMs?: number; transports?: ('polling' | 'websocket')[] } = {}): Promise<ChatClient> {
  const { timeoutMs = 5000, transports } = options;
  const socket: ChatClient = io(url, { reconnection: false, forceNew: true, timeout: timeoutMs, auth: token === undefined ? {} : { token }, ...(transports === undefined ? {} : { transports }) });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The message of the connect_error the server answers a connection attempt with. */
export async function connectError(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket: ChatClient = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected, but a connect_error was expected')));
      socket.once('connect_error', (error) => resolve(error.message));
    });
  } finally {
    socket.close();
  }
}

/** Emits a client event and resolves with its ack; rejects if no ack arrives within the deadline. */
export function emitAck<E extends ClientEventName>(socket: ChatClient, event: E, payload: unknown, timeoutMs = 5000): Promise<AckResult<ClientEventResults[E]>> {
  return emitRawAck(socket, event, [payload], timeoutMs) as Promise<AckResult<ClientEventResults[E]>>;
}

/** Emits any event with any arguments, plus an ack callback; resolves with whatever the ack carries. */
export function emitRawAck(socket: ChatClient, event: string, args: readonly unknown[], timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    raw(socket)
      .timeout(timeoutMs)
      .emit(event, ...args, (error: Error | null, result: unknown) => {
        if (error) reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
        else resolve(result);
      });
  });
}

/** The success value of an ack, or a thrown error naming the code it failed with. */
export function expectOk<T extends object>(result: AckResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result;
}

/** Emits and returns the success value (throws on an error ack). */
export async function call<E extends ClientEventName>(socket: ChatClient, event: E, payload: unknown): Promise<ClientEventResults[E]> {
  return expectOk(await emitAck(socket, event, payload));
}

export interface WaitOptions<E extends ServerEventName> {
  filter?: (payload: ServerEventPayload<E>) => boolean;
  timeoutMs?: number;
}

/** Resolves with the first `event` (matching `filter`) the socket receives after the call. */
export function waitForEvent<E extends ServerEventName>(socket: ChatClient, event: E, options: WaitOptions<E> = {}): Promise<ServerEventPayload<E>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const untyped = socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      untyped.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: unknown) => {
      const typed = payload as ServerEventPayload<E>;
      if (options.filter !== undefined && !options.filter(typed)) return;
      clearTimeout(timer);
      untyped.off(event, listener);
      resolve(typed);
    };
    untyped.on(event, listener);
  });
}

/** Collects every `event` the socket receives from now on (for "nothing else arrived" checks). */
export function recordEvents<E extends ServerEventName>(socket: ChatClient, event: E): ServerEventPayload<E>[] {
  const seen: ServerEventPayload<E>[] = [];
  (socket as unknown as { on(e: string, l: (p: unknown) => void): void }).on(event, (payload) => seen.push(payload as ServerEventPayload<E>));
  return seen;
}

/** Resolves once the socket is disconnected (by the server or otherwise). */
export function waitForDisconnect(socket: ChatClient, timeoutMs = 5000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
