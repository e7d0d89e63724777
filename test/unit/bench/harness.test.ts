import { afterEach, describe, expect, it } from 'vitest';
import { abFigure, alternate } from '../../../bench/ab';
import { WebSocket } from 'ws';
import { bareSocketIoPairs, socketIoPairs, type DirectTransport } from '../../../bench/clients/direct-transport';
import { closeAll, connectSocket } from '../../../bench/clients/sio';
import { parseCli } from '../../../bench/cli';
import { runDirectStep } from '../../../bench/direct-step';
import { LatencyHistogram } from '../../../bench/histogram';
import { guarded } from '../../../bench/loop-guard';
import { runOpenLoop, scheduleAt } from '../../../bench/open-loop';
import { searchMaxRate, sustained } from '../../../bench/rate-search';
import { evaluateTarget, mergeRows, renderTable, replaceBetweenMarkers, row } from '../../../bench/results';
import { spawnServer, type ServerProcess } from '../../../bench/server-process';
import { median, percentile } from '../../../bench/stats';

describe('bench command line', () => {
  it('runs every scenario by default and takes --quick and --only', () => {
    expect(parseCli([])).toEqual({ kind: 'run', options: { quick: false, only: [1, 2, 3, 4, 5, 6, 7], write: true } });
    expect(parseCli(['--quick', '--only', '3,1'])).toEqual({ kind: 'run', options: { quick: true, only: [1, 3], write: true } });
    expect(parseCli(['--only=7', '--no-write'])).toEqual({ kind: 'run', options: { quick: false, only: [7], write: false } });
  });

  it('refuses unknown flags and bad scenario lists', () => {
    expect(parseCli(['--fast']).kind).toBe('usage');
    expect(parseCli(['--only']).kind).toBe('usage');
    expect(parseCli(['--only', '8']).kind).toBe('usage');
    expect(parseCli(['--only', '1,x']).kind).toBe('usage');
    expect(parseCli(['--help']).kind).toBe('help');
  });

  it('refuses a flag given twice rather than let one copy win', () => {
    expect(parseCli(['--only', '1', '--only', '2'])).toEqual({ kind: 'usage', problem: '--only given more than once' });
    expect(parseCli(['--only=1', '--only', '1'])).toEqual({ kind: 'usage', problem: '--only given more than once' });
    expect(parseCli(['--quick', '--only', '3', '--quick'])).toEqual({ kind: 'usage', problem: '--quick given more than once' });
    expect(parseCli(['--no-write', '--no-write'])).toEqual({ kind: 'usage', problem: '--no-write given more than once' });
    expect(parseCli(['extra', 'extra'])).toEqual({ kind: 'usage', problem: 'unknown argument "extra"' });
  });
});

describe('result rows', () => {
  it('computes the ratio against the baseline and judges the target', () => {
    const r = row({ scenario: 1, name: 'n', metric: 'm', value: 6, unit: 'msg/s', baseline: 10, target: 'ratio >= 0.5' });
    expect(r.ratio).toBeCloseTo(0.6);
    expect(r.met).toBe(true);
    expect(row({ scenario: 1, name: 'n', metric: 'm', value: 12, unit: 'ms', target: 'value <= 10' }).met).toBe(false);
    expect(row({ scenario: 1, name: 'n', metric: 'm', value: 12, unit: 'ms', target: null }).met).toBeNull();
  });

  it('counts a missing figure as a missed target', () => {
    expect(evaluateTarget('value <= 2', null, null)).toBe(false);
    expect(evaluateTarget('ratio <= 1.5', 1, NaN)).toBe(false);
    expect(() => evaluateTarget('about 2', 1, 1)).toThrow();
  });

  it('keeps the rows of scenarios that did not run', () => {
    const old = [row({ scenario: 1, name: 'a', metric: 'm', value: 1, unit: '', target: null }), row({ scenario: 2, name: 'b', metric: 'm', value: 2, unit: '', target: null })];
    const fresh = [row({ scenario: 2, name: 'b', metric: 'm', value: 3, unit: '', target: null })];
    expect(mergeRows(old, fresh, [2]).map((r) => [r.scenario, r.value])).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });

  it('renders the table between markers and leaves the rest of the document alone', () => {
    const doc = 'intro\n<!-- bench:table:start -->\nold\n<!-- bench:table:end -->\noutro\n';
    const table = renderTable([row({ scenario: 7, name: 'verdicts', metric: 'p99', value: 0.02, unit: 'ms', target: 'value <= 1' })]);
    const next = replaceBetweenMarkers(doc, 'table', table);
    expect(next).toContain('intro\n<!-- bench:table:start -->\n| # |');
    expect(next).toContain('| 7 | verdicts | p99 |');
    expect(next).toContain('≤ 1 | met |');
    expect(next).not.toContain('old');
    expect(next.endsWith('<!-- bench:table:end -->\noutro\n')).toBe(true);
    expect(replaceBetweenMarkers('no markers', 'machine', 'x')).toContain('<!-- bench:machine:start -->\nx\n<!-- bench:machine:end -->');
  });
});

describe('measurement pieces', () => {
  it('schedules open-loop sends on the rate grid, whenever they actually leave', async () => {
    const due: number[] = [];
    const run = await runOpenLoop({ rate: 2000, durationMs: 30, send: (i, at) => due.push(at - scheduleAt(0, 2000, i)) });
    expect(run.sent).toBe(60);
    expect(due).toHaveLength(60);
    for (const offset of due) expect(offset).toBeCloseTo(run.startedAt, 6);
  });

  it('summarises latencies as percentiles in milliseconds', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms++) h.recordMs(ms);
    const s = h.summary();
    expect(s.count).toBe(100);
    expect(s.p50).toBeGreaterThan(49);
    expect(s.p50).toBeLessThan(51);
    expect(s.p99).toBeGreaterThanOrEqual(s.p50);
    expect(new LatencyHistogram().summary().count).toBe(0);
  });

  it('takes medians over A/B rounds', async () => {
    let n = 0;
    const outcome = await alternate(3, { subject: async () => ++n * 10, baseline: async () => 10 }, (r) => r.subject / r.baseline);
    expect(outcome.ratios).toHaveLength(3);
    expect(outcome.medianRatio).toBe(2);
    expect(abFigure(outcome, (x) => x).baseline).toBe(10);
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
  });

  it('reports the generator loop delay of a guarded run', async () => {
    const result = await guarded(async () => ({ done: true }));
    expect(result.done).toBe(true);
    expect(result.loop.p99Ms).toBeGreaterThanOrEqual(0);
  });

  it('treats lost deliveries and exploded latency as not sustained', () => {
    const base = { rate: 100, sent: 100, acked: 100, delivered: 100, p99: 3, achievedRate: 99 };
    expect(sustained(base)).toBe(true);
    expect(sustained({ ...base, delivered: 99 })).toBe(false);
    expect(sustained({ ...base, p99: 1000 })).toBe(false);
  });
});

describe('maximum rate search', () => {
  const fakeServer = (capacity: number) => async (rate: number) => {
    const ok = rate <= capacity;
    return { rate, sent: 100, acked: 100, delivered: ok ? 100 : 90, p99: ok ? 2 : 500, achievedRate: ok ? rate : capacity };
  };
  const config = { startRate: 1000, factor: 2, maxRate: 100_000, refinements: 2, maxSteps: 12 };

  it('steps up until a step fails, then narrows below the failing rate', async () => {
    const outcome = await searchMaxRate(config, fakeServer(5000), () => undefined);
    expect(outcome.maxRate).toBe(5000);
    expect(outcome.generatorBound).toBe(false);
    expect(outcome.ceilingReached).toBe(false);
    expect(outcome.steps.map((s) => s.step.rate)).toEqual([1000, 2000, 4000, 8000, 6000, 5000]);
  });

  it('says so when every rate it tried held', async () => {
    const outcome = await searchMaxRate({ ...config, maxSteps: 4 }, fakeServer(1_000_000), () => undefined);
    expect(outcome.maxRate).toBe(8000);
    expect(outcome.ceilingReached).toBe(true);
    const capped = await searchMaxRate({ ...config, maxRate: 3000 }, fakeServer(1_000_000), () => undefined);
    expect(capped.maxRate).toBe(2000);
    expect(capped.ceilingReached).toBe(true);
  });

  it('steps down when even the first rate fails', async () => {
    const outcome = await searchMaxRate(config, fakeServer(300), () => undefined);
    expect(outcome.maxRate).toBeGreaterThan(0);
    expect(outcome.maxRate).toBeLessThanOrEqual(300);
    expect(outcome.steps[0]?.sustained).toBe(false);
  });
});

describe('bench server process', () => {
  let server: ServerProcess | null = null;
  let transport: DirectTransport | null = null;
  afterEach(async () => {
    await transport?.close();
    await server?.close();
    transport = null;
    server = null;
  });

  it('spawns the bare Socket.IO baseline, drives a step through it and reads its CPU time', async () => {
    server = await spawnServer('socketio-echo');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    transport = await bareSocketIoPairs(server.url, 2);
    const step = await runDirectStep(transport, server, { rate: 200, durationMs: 100, warmupMs: 0, drainMs: 10_000 });
    expect(step.sent).toBe(20);
    expect(step.acked).toBe(20);
    expect(step.delivered).toBe(20);
    expect(step.delivery.count).toBe(20);
    const stats = await server.stats({ gc: false });
    expect(stats.cpuUserUs).toBeGreaterThan(0);
    expect(stats.heapUsed).toBeGreaterThan(0);
  });

  it('counts a delivery only for the delivery event, on the recipient, keyed by the message clientId', async () => {
    server = await spawnServer('socketio-echo');
    const { url } = server;
    const pairs = (deliverEvent: string) =>
      socketIoPairs({
        url,
        senders: [{ id: 'x0' }],
        recipients: [{ id: 'y0' }],
        event: 'send',
        payload: (_pair, key) => ({ id: key, to: 'y0', text: 'hi' }),
        deliverEvent,
      });
    transport = await pairs('not-deliver');
    const acks: string[] = [];
    const deliveries: string[] = [];
    transport.onAck = (key) => acks.push(key);
    transport.onDeliver = (key) => deliveries.push(key);
    transport.send(0, 'key-1');
    await expect.poll(() => acks).toEqual(['key-1']);
    await transport.close();
    transport = await pairs('deliver');
    transport.onAck = (key) => acks.push(key);
    transport.onDeliver = (key) => deliveries.push(key);
    transport.send(0, 'key-2');
    await expect.poll(() => deliveries).toEqual(['key-2']);
    // The sender's own copy (the server sends one) is not read as a delivery.
    expect(acks).toEqual(['key-1', 'key-2']);
  });

  it('has the bare Socket.IO baseline put on the wire what a protocol 1:1 send causes, and the light variant leave out the sender', async () => {
    server = await spawnServer('socketio-echo');
    const [sending, otherDevice, recipient] = await Promise.all([connectSocket(server.url, { id: 'a' }), connectSocket(server.url, { id: 'a' }), connectSocket(server.url, { id: 'b' })]);
    try {
      const seen: string[] = [];
      for (const [name, socket] of [['sending', sending], ['other device', otherDevice], ['recipient', recipient]] as const) {
        socket.on('deliver', (m: { clientId: string }) => seen.push(`${name}:${m.clientId}`));
      }
      const ack = await sending.emitWithAck('send', { id: 'full-1', to: 'b', text: 'hi' });
      expect(ack).toMatchObject({ ok: true, id: 'full-1', message: { clientId: 'full-1', text: 'hi' } });
      await expect.poll(() => [...seen].sort()).toEqual(['other device:full-1', 'recipient:full-1', 'sending:full-1']);
      seen.length = 0;
      await sending.emitWithAck('send-to-recipient', { id: 'light-1', to: 'b', text: 'hi' });
      // Each socket receives in order: once every socket has full-2, a copy of light-1 would be there too.
      await sending.emitWithAck('send', { id: 'full-2', to: 'b', text: 'hi' });
      await expect.poll(() => seen.filter((x) => x.endsWith('full-2')).length).toBe(3);
      expect(seen.filter((x) => x.endsWith('light-1'))).toEqual(['recipient:light-1']);
    } finally {
      closeAll([sending, otherDevice, recipient]);
    }
  });

  it('has the raw ws baseline ack the sender and send the message to the sender and the recipient', async () => {
    server = await spawnServer('ws-echo');
    const base = server.url.replace(/^http/, 'ws');
    const open = (id: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`${base}/?id=${id}`);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    const [sender, recipient] = await Promise.all([open('s'), open('r')]);
    try {
      const frames = (socket: WebSocket, n: number) =>
        new Promise<unknown[]>((resolve) => {
          const got: unknown[] = [];
          socket.on('message', (data) => {
            got.push(JSON.parse(data.toString()));
            if (got.length === n) resolve(got);
          });
        });
      const atSender = frames(sender, 2);
      const atRecipient = frames(recipient, 1);
      sender.send(JSON.stringify({ id: 'k-1', to: 'r', text: 'hi' }));
      expect(await atSender).toMatchObject([{ ack: 'k-1' }, { deliver: { clientId: 'k-1' } }]);
      expect(await atRecipient).toMatchObject([{ deliver: { clientId: 'k-1', senderId: 's' } }]);
    } finally {
      sender.terminate();
      recipient.terminate();
    }
  });
});
