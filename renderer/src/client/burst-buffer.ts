/** The browser's frame and timer functions, passed in so that tests can step frames by hand. */
export interface FrameScheduler {
  requestFrame(callback: () => void): number;
  cancelFrame(handle: number): void;
  setTimer(callback: () => void, ms: number): number;
  clearTimer(handle: number): void;
}

export interface BurstOptions {
  /** A burst is applied once every this many animation frames. */
  frames: number;
  /** Where frames do not come (a hidden window), a burst is still applied this often. */
  fallbackMs: number;
}

export function windowScheduler(): FrameScheduler {
  return {
    requestFrame: (callback) => window.requestAnimationFrame(callback),
    cancelFrame: (handle) => window.cancelAnimationFrame(handle),
    setTimer: (callback, ms) => window.setTimeout(callback, ms),
    clearTimer: (handle) => window.clearTimeout(handle),
  };
}

/**
 * Holds items that arrive in a burst and hands them over in batches: an item that arrives alone
 * is applied at once; items that follow within the next `frames` animation frames wait and are
 * applied together at the last of them, and so on while they keep coming.
 */
export class BurstBuffer<T> {
  private held: T[] = [];
  private bursting = false;
  private frame = 0;
  private timer: number | undefined;

  constructor(
    private readonly apply: (batch: T[]) => void,
    private readonly scheduler: FrameScheduler,
    private readonly options: BurstOptions,
  ) {}

  push(item: T): void {
    this.held.push(item);
    if (!this.bursting) this.flush();
  }

  /** Changes a held item in place; false when none matches (it was applied already, or never came). */
  replace(matches: (item: T) => boolean, change: (item: T) => T): boolean {
    const index = this.held.findIndex(matches);
    const item = this.held[index];
    if (item === undefined) return false;
    this.held[index] = change(item);
    return true;
  }

  close(): void {
    this.scheduler.cancelFrame(this.frame);
    this.scheduler.clearTimer(this.timer ?? 0);
    this.held = [];
    this.bursting = false;
  }

  private flush(): void {
    const batch = this.held;
    this.held = [];
    this.bursting = batch.length > 0;
    if (batch.length === 0) return;
    this.schedule();
    this.apply(batch);
  }

  private schedule(): void {
    let framesLeft = this.options.frames;
    const done = (): void => {
      this.scheduler.cancelFrame(this.frame);
      this.scheduler.clearTimer(this.timer ?? 0);
      this.flush();
    };
    const onFrame = (): void => {
      framesLeft -= 1;
      if (framesLeft > 0) this.frame = this.scheduler.requestFrame(onFrame);
      else done();
    };
    this.frame = this.scheduler.requestFrame(onFrame);
    this.timer = this.scheduler.setTimer(done, this.options.fallbackMs);
  }
}
