import { describe, expect, it } from 'vitest';
import { HEAVY_BACKLOG_BYTES, HeavyLane, type HeavyTask, type LaneTurn } from '../../../server/socket/heavy-lane';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A user at an address; unless a test says otherwise, every user is at the same one. */
const user = (userId: string, address = '192.0.2.1'): LaneTurn => ({ address, userId });

/** A task that records when it starts, for a socket whose state the test sets. */
function recorder() {
  const started: string[] = [];
  const refused: string[] = [];
  const task = (name: string, socket: { open: boolean; backlog: number } = { open: true, backlog: 0 }): HeavyTask => ({
    open: () => socket.open,
    backlog: () => socket.backlog,
    run: () => {
      started.push(name);
      return Promise.resolve();
    },
    refuse: () => refused.push(name),
  });
  return { started, refused, task };
}

describe('HeavyLane', () => {
  it('starts one task a turn of the event loop, so that what sockets send is read between two', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    void lane.run(user('a'), task('a1'));
    void lane.run(user('b'), task('b1'));
    void lane.run(user('c'), task('c1'));
    expect(started).toEqual([]);
    await turn();
    expect(started).toEqual(['a1']);
    await turn();
    expect(started).toEqual(['a1', 'b1']);
    await turn();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    expect(lane.waiting).toBe(0);
  });

  it('gives users turns: one with many tasks queued delays another by one task, not all of them', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    const all = [lane.run(user('greedy'), task('g1')), lane.run(user('greedy'), task('g2')), lane.run(user('greedy'), task('g3')), lane.run(user('other'), task('o1'))];
    await Promise.all(all);
    expect(started).toEqual(['g1', 'o1', 'g2', 'g3']);
  });

  it('gives addresses turns: many accounts from one address delay a user elsewhere by one task, not one each', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    const crowd = '2001:db8:1:2::/64';
    const all = [
      lane.run(user('c1', crowd), task('c1')),
      lane.run(user('c2', crowd), task('c2')),
      lane.run(user('c3', crowd), task('c3')),
      lane.run(user('c1', crowd), task('c1-again')),
      lane.run(user('elsewhere', '198.51.100.7'), task('elsewhere')),
    ];
    await Promise.all(all);
    // The crowd's users still take turns among themselves.
    expect(started).toEqual(['c1', 'elsewhere', 'c2', 'c3', 'c1-again']);
  });

  it('holds the tasks of a socket whose peer has not read what it was sent, runs others meanwhile, and runs them once it has read', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    const paused = { open: true, backlog: HEAVY_BACKLOG_BYTES + 1 };
    const held = lane.run(user('reader'), task('held', paused));
    // The same user's other socket, and another user, are not held back.
    const sameUser = lane.run(user('reader'), task('other-device'));
    const other = lane.run(user('someone'), task('someone'));
    await Promise.all([sameUser, other]);
    expect(started).toEqual(['other-device', 'someone']);
    expect(lane.waiting).toBe(1);
    paused.backlog = 0;
    await held;
    expect(started).toEqual(['other-device', 'someone', 'held']);
  });

  it('looks at a waiting socket once a step, however many of its tasks wait', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    let looks = 0;
    // One socket's tasks share its `open` and `backlog`, as the dispatcher gives them.
    const paused = { open: () => true, backlog: () => (looks++, HEAVY_BACKLOG_BYTES + 1) };
    for (let i = 0; i < 8; i++) void lane.run(user('reader'), { ...task(`held-${i}`), ...paused });
    const other = lane.run(user('someone'), task('someone'));
    await other;
    // Two steps ran (the other user's task, then one that found nothing to run): not 8 looks each.
    expect(started).toEqual(['someone']);
    expect(looks).toBeLessThanOrEqual(2);
    lane.close();
  });

  it('drops the tasks of a socket that went, without running them', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    const socket = { open: true, backlog: HEAVY_BACKLOG_BYTES + 1 };
    const held = lane.run(user('reader'), task('never', socket));
    await turn();
    socket.open = false;
    await held;
    expect(started).toEqual([]);
    expect(lane.waiting).toBe(0);
  });

  it('refuses at close what waits, a task held for a paused peer included, and everything after', async () => {
    const lane = new HeavyLane();
    const { started, refused, task } = recorder();
    const held = lane.run(user('paused'), task('held', { open: true, backlog: HEAVY_BACKLOG_BYTES + 1 }));
    const queued = lane.run(user('other'), task('queued'));
    lane.close();
    await Promise.all([held, queued]);
    expect(refused).toEqual(['held', 'queued']);
    await lane.run(user('late'), task('late'));
    expect(refused).toEqual(['held', 'queued', 'late']);
    await turn();
    expect(started).toEqual([]);
  });

  it('resolves a task whose handler failed as answered, and goes on', async () => {
    const lane = new HeavyLane();
    const { started, task } = recorder();
    const failing: HeavyTask = { open: () => true, backlog: () => 0, run: () => Promise.reject(new Error('handler bug')), refuse: () => undefined };
    await lane.run(user('a'), failing);
    await lane.run(user('a'), task('after'));
    expect(started).toEqual(['after']);
  });
});
