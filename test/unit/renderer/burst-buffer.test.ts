import { describe, expect, it } from 'vitest';
import { BurstBuffer, type FrameScheduler } from '../../../renderer/src/client/burst-buffer';

/** Frames and timers that move only when the test says so. */
function manualScheduler() {
  let next = 1;
  const frames = new Map<number, () => void>();
  const timers = new Map<number, () => void>();
  const scheduler: FrameScheduler = {
    requestFrame: (callback) => {
      frames.set(next, callback);
      return next++;
    },
    cancelFrame: (handle) => frames.delete(handle),
    setTimer: (callback) => {
      timers.set(next, callback);
      return next++;
    },
    clearTimer: (handle) => timers.delete(handle),
  };
  return {
    scheduler,
    frame(): void {
      const due = [...frames];
      frames.clear();
      for (const [, callback] of due) callback();
    },
    fireTimers(): void {
      const due = [...timers];
      timers.clear();
      for (const [, callback] of due) callback();
    },
    pending: () => ({ frames: frames.size, timers: timers.size }),
  };
}

function setUp(frames = 2) {
  const clock = manualScheduler();
  const batches: number[][] = [];
  const buffer = new BurstBuffer<number>((batch) => batches.push(batch), clock.scheduler, { frames, fallbackMs: 100 });
  return { clock, batches, buffer };
}

describe('BurstBuffer', () => {
  it('applies an item that arrives alone at once', () => {
    const { batches, buffer } = setUp();
    buffer.push(1);
    expect(batches).toEqual([[1]]);
  });

  it('holds what follows for the given number of frames and applies it as one batch', () => {
    const { clock, batches, buffer } = setUp(2);
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    expect(batches).toEqual([[1]]);
    clock.frame();
    expect(batches).toEqual([[1]]);
    buffer.push(4);
    clock.frame();
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batching while items keep coming, and applies the next lone item at once after a quiet stretch', () => {
    const { clock, batches, buffer } = setUp(2);
    buffer.push(1);
    buffer.push(2);
    clock.frame();
    clock.frame();
    buffer.push(3);
    expect(batches).toEqual([[1], [2]]);
    clock.frame();
    clock.frame();
    expect(batches).toEqual([[1], [2], [3]]);
    // Two frames with nothing held end the burst.
    clock.frame();
    clock.frame();
    expect(clock.pending()).toEqual({ frames: 0, timers: 0 });
    buffer.push(4);
    expect(batches).toEqual([[1], [2], [3], [4]]);
  });

  it('applies a held burst on the fallback timer when no frame comes, and only once', () => {
    const { clock, batches, buffer } = setUp(2);
    buffer.push(1);
    buffer.push(2);
    clock.fireTimers();
    expect(batches).toEqual([[1], [2]]);
    // The frames of the finished round were cancelled: stepping them applies nothing twice.
    clock.frame();
    clock.frame();
    expect(batches).toEqual([[1], [2]]);
  });

  it('changes a held item in place, and says when there is none to change', () => {
    const { clock, batches, buffer } = setUp(2);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.replace((n) => n === 2, () => 20)).toBe(true);
    expect(buffer.replace((n) => n === 1, () => 10)).toBe(false);
    clock.frame();
    clock.frame();
    expect(batches).toEqual([[1], [20]]);
  });

  it('drops what is held and leaves nothing scheduled when closed', () => {
    const { clock, batches, buffer } = setUp(2);
    buffer.push(1);
    buffer.push(2);
    buffer.close();
    expect(clock.pending()).toEqual({ frames: 0, timers: 0 });
    clock.frame();
    clock.fireTimers();
    expect(batches).toEqual([[1]]);
  });
});
