/** The few Wanglai protocol calls the generator needs to set up users, contacts and groups. */
import type { Socket } from 'socket.io-client';
import type { AckResult, AuthResult, ClientEventResults, ClientEventPayloads } from '../../protocol';
import { connectSocket, inBatches } from './sio';

export interface BenchUser {
  id: string;
  username: string;
  token: string;
}

export const BENCH_PASSWORD = 'bench-password-1';

export async function register(url: string, username: string): Promise<BenchUser> {
  const response = await fetch(`${url}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD, displayName: username }),
  });
  if (response.status !== 201) throw new Error(`register ${username}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as AuthResult;
  return { id: body.user.id, username: body.user.username, token: body.token };
}

/** Registers `count` users named PREFIX0..; a short unique prefix keeps reruns on one data dir apart. */
export function registerMany(url: string, prefix: string, count: number): Promise<BenchUser[]> {
  return inBatches(count, 8, (i) => register(url, `${prefix}${i}`));
}

export function connectUser(url: string, user: BenchUser): Promise<Socket> {
  return connectSocket(url, { token: user.token });
}

export function call<E extends keyof ClientEventResults>(socket: Socket, event: E, payload: ClientEventPayloads[E], timeoutMs = 30_000): Promise<{ ok: true } & ClientEventResults[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no ack in ${timeoutMs} ms`)), timeoutMs);
    socket.emit(event as string, payload, (result: AckResult<ClientEventResults[E]>) => {
      clearTimeout(timer);
      if (result.ok) resolve(result);
      else reject(new Error(`${event}: ${result.error.code} ${result.error.message}`));
    });
  });
}

/** Makes two users contacts and answers their direct conversation's id. */
export async function befriend(a: Socket, b: Socket, bId: string): Promise<string> {
  const { request } = await call(a, 'contacts:request', { userId: bId });
  const answer = await call(b, 'contacts:respond', { requestId: request.id, accept: true });
  if (!answer.conversation) throw new Error('contacts:respond accepted without a conversation');
  return answer.conversation.id;
}

export function runPrefix(): string {
  return `b${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
}
