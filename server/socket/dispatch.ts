/**
 * The one wrapper every client event goes through (PROTOCOL.md §3): no callback → ignored;
 * unknown event or bad payload → `invalid_input`; over a limit → `rate_limited`; then the
 * handler, whose exception becomes `internal` and is logged. Nothing a client sends can throw
 * out of here or leave an ack unanswered.
 */
import { schemas } from '../../protocol';
import type { AckResult, ApiError, Result } from '../../protocol';
import type { ClientEventName } from '../../protocol/schemas';
import type { ChatLimits } from '../chat/limits';
import type { Logger } from '../chat/logger';
import { RateLimiter } from '../chat/rate-limiter';
import { describeIssues } from '../http/validate';
import type { EventContext, EventHandler, EventHandlers } from './event-handlers';
import { HeavyLane, type HeavyTask, type LaneTurn } from './heavy-lane';

type AnyAck = (result: AckResult<object>) => void;
type AnyHandler = (ctx: EventContext, payload: unknown) => Result<object> | Promise<Result<object>>;

const EVENT_LIMIT: Partial<Record<ClientEventName, keyof ChatLimits>> = {
  'messages:send': 'messagesPerUser',
  'products:share': 'messagesPerUser',
  typing: 'typingPerUser',
  'users:search': 'searchesPerUser',
  'users:get': 'searchesPerUser',
  'contacts:request': 'contactRequestsPerUser',
  'groups:create': 'groupChangesPerUser',
  'groups:addMembers': 'groupChangesPerUser',
  'groups:removeMember': 'groupChangesPerUser',
  'groups:setRole': 'groupChangesPerUser',
  'groups:rename': 'groupChangesPerUser',
  // groups:leave is not limited: a user can always get out of a group. Each leave needs a join
  // before it, and creating and adding are limited, so leaves cannot be repeated at will.
  'messages:history': 'historyPagesPerUser',
  'messages:sync': 'listsPerUser',
  'conversations:list': 'listsPerUser',
  'contacts:list': 'listsPerUser',
  'links:verdict': 'verdictsPerUser',
  'messages:read': 'readMarksPerUser',
};

/**
 * Events whose answer can be megabytes (a sync or history answer up to about 1 MB, lists that
 * grow with the account): a socket has at most HEAVY_PER_SOCKET of them under way, the others wait
 * their turn, and those under way go through one lane for the whole server (heavy-lane.ts: one
 * built per turn of the event loop, users in turn, none for a socket whose peer is not reading).
 * Their reading is synchronous, so a burst read at once (60 `messages:sync` from a client that
 * stopped reading) had every answer built, over 200 MB, before the first one was queued and the
 * backlog cap (socket-server.ts) could drop the socket.
 */
const HEAVY_EVENTS: ReadonlySet<ClientEventName> = new Set(['messages:sync', 'messages:history', 'conversations:list', 'contacts:list']);
export const HEAVY_PER_SOCKET = 4;
/**
 * Heavy events a socket may have waiting behind its HEAVY_PER_SOCKET; the next is answered
 * `rate_limited` at once. A client that stops reading holds its requests as long as it stays
 * connected (engine.io takes a pong it never asked for as a sign of life), and 40 such sockets
 * asking within their rate limits grew the server by 50 MB a second until it ran out of memory
 * (an audit). The web client has fewer than this many in flight at its busiest.
 */
export const HEAVY_WAITING_PER_SOCKET = 8;

const SHUTTING_DOWN: Result<never> = { ok: false, error: { code: 'internal', message: 'the server is shutting down' } };

interface Turns {
  running: number;
  waiting: (() => void)[];
}

function isClientEvent(event: string): event is ClientEventName {
  return Object.hasOwn(schemas.clientEventSchemas, event);
}

/** The socket an event came on. */
export interface DispatchPeer {
  socketId: string;
  /** Its peer's address key (address-key.ts): heavy events take turns by it (heavy-lane.ts). */
  address: string;
  /** Whether the socket still takes answers: a heavy event that waited its turn is not run for a socket dropped meanwhile. */
  open(): boolean;
  /** What the socket's peer has not read yet: a heavy event waits while it is large. */
  backlog(): number;
}

export class EventDispatcher {
  private readonly perSocket: RateLimiter;
  private readonly perUser = new Map<keyof ChatLimits, RateLimiter>();
  private readonly turns = new Map<string, Turns>();
  /** Heavy events of every socket take turns here (heavy-lane.ts). */
  private readonly lane = new HeavyLane();
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private closing = false;

  constructor(
    private readonly handlers: EventHandlers,
    limits: ChatLimits,
    private readonly log: Logger,
    now: () => number = Date.now,
  ) {
    this.perSocket = new RateLimiter(limits.eventsPerSocket, now);
    for (const name of new Set(Object.values(EVENT_LIMIT))) this.perUser.set(name, new RateLimiter(limits[name], now));
  }

  dispatch(peer: DispatchPeer, ctx: EventContext, event: string, args: readonly unknown[]): void {
    const { socketId } = peer;
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = (result: Result<object>) => answer(ack as AnyAck, result);
    if (this.closing) return reply(SHUTTING_DOWN);
    // Every event counts against the socket's limit, unknown ones too: a flood of them is a flood.
    if (!this.perSocket.take(socketId)) return reply(failure('rate_limited', 'too many events; slow down'));
    if (!isClientEvent(event)) return reply(failure('invalid_input', 'unknown event'));
    const limitName = EVENT_LIMIT[event];
    const limiter = limitName === undefined ? undefined : this.perUser.get(limitName);
    if (limiter !== undefined && !limiter.take(ctx.userId)) return reply(failure('rate_limited', `too many ${event}; slow down`));
    const payload = args.length >= 2 ? args[0] : undefined;
    // zod's object schemas take any object, and Socket.IO turns a binary attachment into a Buffer.
    if (!isPlainObject(payload)) return reply(failure('invalid_input', 'the payload must be a JSON object'));
    const parsed = schemas.clientEventSchemas[event].safeParse(payload);
    if (!parsed.success) return reply(failure('invalid_input', describeIssues(parsed.error)));
    const handler = this.handlers[event] as EventHandler<typeof event> | undefined;
    if (handler === undefined) return reply(failure('invalid_input', `${event} is not available on this server`));
    const run = () => this.run(event, handler as AnyHandler, ctx, parsed.data, reply);
    const refuse = () => reply(SHUTTING_DOWN);
    const busy = () => reply(failure('rate_limited', 'too many requests waiting on this connection; read their answers first'));
    if (HEAVY_EVENTS.has(event)) this.inTurn(socketId, { address: peer.address, userId: ctx.userId }, { open: () => peer.open(), backlog: () => peer.backlog(), run, refuse }, busy);
    else void run();
  }

  /**
   * The per-user limiter of one rule, for an HTTP route doing what an event does
   * (`GET /api/v1/links/verdict` and `links:verdict`): one bucket per user across both.
   */
  limiterFor(name: keyof ChatLimits): RateLimiter | undefined {
    return this.perUser.get(name);
  }

  /**
   * Refuses new events, and heavy ones still waiting for their turn (heavy-lane.ts), and resolves
   * once every handler under way has answered.
   */
  drain(): Promise<void> {
    this.closing = true;
    this.lane.close();
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  /** Runs the handler and answers; resolves once answered. */
  private run(event: string, handler: AnyHandler, ctx: EventContext, payload: unknown, reply: (result: Result<object>) => void): Promise<void> {
    let outcome: Result<object> | Promise<Result<object>>;
    try {
      outcome = handler(ctx, payload);
    } catch (error) {
      this.log.error(`${event} failed`, error);
      reply(failure('internal', 'internal error'));
      return Promise.resolve();
    }
    if (!(outcome instanceof Promise)) {
      reply(outcome);
      return Promise.resolve();
    }
    return this.underWay(
      outcome
        .catch((error: unknown) => {
          this.log.error(`${event} failed`, error);
          return failure('internal', 'internal error');
        })
        .then(reply),
    );
  }

  /** Counts a task as under way until it settles: drain() waits for it. */
  private underWay(task: Promise<void>): Promise<void> {
    this.inFlight++;
    return task.finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    });
  }

  /** Hands a heavy event to the lane now if the socket has a turn free, else once one is. */
  private inTurn(socketId: string, turn: LaneTurn, task: HeavyTask, busy: () => void): void {
    let turns = this.turns.get(socketId);
    if (turns === undefined) {
      turns = { running: 0, waiting: [] };
      this.turns.set(socketId, turns);
    }
    const own = turns;
    if (own.running >= HEAVY_PER_SOCKET && own.waiting.length >= HEAVY_WAITING_PER_SOCKET) {
      busy();
      return;
    }
    let finished: () => void = () => undefined;
    // A waiting event is under way too: a closing server answers it before the store closes.
    void this.underWay(new Promise<void>((resolve) => (finished = resolve)));
    const start = () => {
      own.running++;
      void this.lane.run(turn, task).then(() => {
        own.running--;
        finished();
        const next = own.waiting.shift();
        if (next !== undefined) next();
        else if (own.running === 0) this.turns.delete(socketId);
      });
    };
    if (own.running < HEAVY_PER_SOCKET) start();
    else own.waiting.push(start);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function answer(ack: AnyAck, result: Result<object>): void {
  ack(result.ok ? { ok: true, ...result.value } : { ok: false, error: result.error });
}
