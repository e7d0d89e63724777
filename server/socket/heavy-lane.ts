/**
 * One lane for the events whose answers can be megabytes (dispatch.ts HEAVY_EVENTS), across every
 * socket and user. Their answers are built synchronously (a `messages:sync` answer stops at about
 * 1 MB of JSON, a history page of long messages is as much: tens of milliseconds each under load;
 * sync answers went up to 4 MB before, a hundred), so before this lane a burst of them from
 * many sockets was built in one go: eight free accounts with fifteen sockets each held the event
 * loop for seconds at a time, and everyone else's sends waited behind them (an audit measured
 * 5-7 s, and 4 GB of answers held for sockets that had stopped reading).
 *
 * - One task starts per turn of the event loop: the sockets' frames (other users' sends) are
 *   read between two heavy answers, so one waits at most for one answer being built.
 * - Addresses take turns (round robin, an IPv6 /64 counting as one: address-key.ts), and the
 *   users of one address take turns within its turn: a user with sixty requests queued delays
 *   another user's one request by one answer, not sixty, and a hundred accounts from one address
 *   delay a user elsewhere by one answer, not a hundred (accounts are free; addresses are not).
 *   Behind a reverse proxy every peer has the proxy's address and users take turns as before.
 * - A socket whose peer has not read what it was already sent (more than HEAVY_BACKLOG_BYTES
 *   queued) gets no further heavy answer until it has: a paused client is sent what the kernel's
 *   TCP buffers take (up to 4 MB on Linux) and held about a megabyte more, not all it asked for.
 *   Its tasks wait (other users' go on), are looked at again every PARKED_RECHECK_MS while
 *   nothing else is runnable, are dropped if the socket goes, and refused when the server closes.
 */

/** Queued output above which a socket's next heavy answer waits (its peer is not reading). */
export const HEAVY_BACKLOG_BYTES = 1024 * 1024;

/** How often waiting tasks are looked at again when nothing else can run. */
const PARKED_RECHECK_MS = 20;

export interface HeavyTask {
  /** Whether the socket still takes answers; a task of a socket gone is dropped. */
  open(): boolean;
  /** Bytes queued for the socket's peer (backlog.ts). */
  backlog(): number;
  /** Starts the handler; resolves once it has answered. */
  run(): Promise<void>;
  /** Answers without running (the server is shutting down). */
  refuse(): void;
}

interface Queued {
  task: HeavyTask;
  done(): void;
}

/** Who a task is for: its peer's address key (address-key.ts) and its user. */
export interface LaneTurn {
  address: string;
  userId: string;
}

/** The tasks of one address: each user's, in arrival order, and the order of their turns. */
interface AddressQueue {
  users: Map<string, Queued[]>;
  rotation: string[];
}

export class HeavyLane {
  private readonly addresses = new Map<string, AddressQueue>();
  /** Addresses with tasks queued, in the order they get their next turn. */
  private rotation: string[] = [];
  private scheduled: 'turn' | 'timer' | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /**
   * What one step learnt of each socket (its tasks share their `open` and `backlog`): a socket
   * with several tasks waiting is looked at once a step, not once a task.
   */
  private readonly looks = new Map<HeavyTask['open'], { open: boolean; reading: boolean }>();

  constructor(private readonly backlogMax = HEAVY_BACKLOG_BYTES) {}

  /** Resolves once the task has run and answered, or was dropped with its socket. */
  run({ address, userId }: LaneTurn, task: HeavyTask): Promise<void> {
    if (this.closed) {
      task.refuse();
      return Promise.resolve();
    }
    return new Promise((done) => {
      let group = this.addresses.get(address);
      if (group === undefined) {
        group = { users: new Map(), rotation: [] };
        this.addresses.set(address, group);
        this.rotation.push(address);
      }
      const queue = group.users.get(userId);
      if (queue === undefined) {
        group.users.set(userId, [{ task, done }]);
        group.rotation.push(userId);
      } else queue.push({ task, done });
      this.schedule('turn');
    });
  }

  /**
   * Refuses every task waiting and every later one. A closing server waits for the requests it
   * accepted to be answered, and a task held for a peer that does not read would be answered only
   * when that peer went: one paused client held a SIGTERM for 43 s (its ping timeout).
   */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const queues = [...this.addresses.values()].flatMap((group) => [...group.users.values()]);
    this.addresses.clear();
    this.rotation = [];
    for (const queue of queues) {
      for (const { task, done } of queue) {
        if (task.open()) task.refuse();
        done();
      }
    }
  }

  /** Tasks queued and not yet started (for tests and metrics). */
  get waiting(): number {
    let count = 0;
    for (const queue of this.queues()) count += queue.length;
    return count;
  }

  private schedule(how: 'turn' | 'timer'): void {
    if (this.scheduled === 'turn' || this.scheduled === how) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = how;
    if (how === 'turn') setImmediate(() => this.step());
    else {
      this.timer = setTimeout(() => this.step(), PARKED_RECHECK_MS);
      // A server with nothing else to do may exit; waiting tasks hold nothing up.
      this.timer.unref();
    }
  }

  /** Starts the next runnable task: the next address's turn first, and its next user's. */
  private step(): void {
    this.scheduled = undefined;
    this.timer = undefined;
    if (this.closed) return;
    this.looks.clear();
    const addresses = this.rotation.length;
    for (let tried = 0; tried < addresses; tried++) {
      const address = this.rotation.shift();
      if (address === undefined) break;
      const group = this.addresses.get(address);
      const started = group !== undefined && this.startForAddress(group);
      if (group === undefined || group.users.size === 0) this.addresses.delete(address);
      else this.rotation.push(address);
      if (started) break;
    }
    if (this.rotation.length === 0) return;
    // Something ran: the next turn may run another. Nothing could: only sockets that read free it.
    this.schedule(this.anyRunnable() ? 'turn' : 'timer');
  }

  /** Starts the first runnable task of the address's users, the next user's turn first. */
  private startForAddress(group: AddressQueue): boolean {
    const users = group.rotation.length;
    for (let tried = 0; tried < users; tried++) {
      const userId = group.rotation.shift();
      if (userId === undefined) break;
      const queue = group.users.get(userId) ?? [];
      const started = this.startFirstRunnable(queue);
      if (queue.length === 0) group.users.delete(userId);
      else group.rotation.push(userId);
      if (started) return true;
    }
    return false;
  }

  /** Drops the tasks of sockets gone; starts the user's first task whose socket is reading. */
  private startFirstRunnable(queue: Queued[]): boolean {
    for (let i = 0; i < queue.length; i++) {
      const queued = queue[i];
      if (queued === undefined) continue;
      const look = this.look(queued.task);
      if (!look.open) {
        queue.splice(i, 1);
        i--;
        queued.done();
        continue;
      }
      if (!look.reading) continue;
      queue.splice(i, 1);
      void queued.task.run().then(queued.done, queued.done);
      return true;
    }
    return false;
  }

  private anyRunnable(): boolean {
    for (const queue of this.queues()) {
      for (const { task } of queue) {
        const look = this.look(task);
        if (!look.open || look.reading) return true;
      }
    }
    return false;
  }

  /** Whether the task's socket is still open and its peer reading, looked at once a step. */
  private look(task: HeavyTask): { open: boolean; reading: boolean } {
    const known = this.looks.get(task.open);
    if (known !== undefined) return known;
    const open = task.open();
    const look = { open, reading: open && task.backlog() <= this.backlogMax };
    this.looks.set(task.open, look);
    return look;
  }

  private *queues(): Iterable<Queued[]> {
    for (const group of this.addresses.values()) yield* group.users.values();
  }
}
