/** A typed socket.io-client connection with requests as promises that always settle. */
import { io, type Socket } from 'socket.io-client';
import type { ClientEventPayloads, ClientEventResults, ClientToServerEvents, ServerToClientEvents } from '../../../protocol';
import { isErrorCode } from '../../../protocol/errors';
import type { ClientErrorCode } from '../store/chat-state';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type RequestName = keyof ClientEventResults;
export type RequestResult<E extends RequestName> = { ok: true; value: ClientEventResults[E] } | { ok: false; code: ClientErrorCode };

export const REQUEST_TIMEOUT_MS = 10_000;

export function openChatSocket(serverUrl: string, token: string): ChatSocket {
  return io(serverUrl, {
    auth: { token },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}

type UntypedEmitter = { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } };

/**
 * Sends one request and waits for its acknowledgement. Offline or timed out, it answers
 * `network` / `timeout` rather than letting socket.io buffer the event for later, so that the
 * caller (the outbox, a dialog) decides what to retry.
 */
export async function request<E extends RequestName>(
  socket: ChatSocket,
  event: E,
  payload: ClientEventPayloads[E],
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<RequestResult<E>> {
  if (!socket.connected) return { ok: false, code: 'network' };
  let answer: unknown;
  try {
    // The event maps are checked at the call site through E; socket.io's overloads cannot follow a generic event name.
    answer = await (socket as unknown as UntypedEmitter).timeout(timeoutMs).emitWithAck(event, payload);
  } catch {
    return { ok: false, code: socket.connected ? 'timeout' : 'network' };
  }
  if (typeof answer !== 'object' || answer === null) return { ok: false, code: 'internal' };
  const record = answer as { ok?: unknown; error?: { code?: unknown } };
  if (record.ok === true) {
    const { ok: _ok, ...value } = record;
    return { ok: true, value: value as ClientEventResults[E] };
  }
  const code = record.error?.code;
  return { ok: false, code: isErrorCode(code) ? code : 'internal' };
}
