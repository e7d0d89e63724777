/**
 * Scenario 2: fan-out into a 500-member group, every member online. The time a message takes
 * to reach the LAST member at 20 msg/s, and the most deliveries per second sustained, against
 * bare `io.to(room).emit` with the same number of sockets (A/B/A/B).
 */
import { abFigure, alternate } from '../ab';
import { bareSocketIoGroup, type FanoutTransport } from '../clients/fanout-transport';
import { connectWanglaiGroup, groupTemplate } from '../clients/wanglai-group';
import type { StepConfig } from '../direct-step';
import { runFanoutStep, type FanoutStepResult } from '../fanout-step';
import { plainServer, wanglaiFromTemplate, type Launcher } from '../launch';
import { GeneratorLagError, guarded } from '../loop-guard';
import { searchMaxRate, type SearchConfig } from '../rate-search';
import { row } from '../results';
import type { Scenario } from '../scenario';
import type { ServerProcess } from '../server-process';

const NAME = 'fan-out, 500-member group';
const MEMBERS = 500;
const TARGET_RATE = 20;

interface Profile {
  search: SearchConfig;
  stepMs: number;
  latencyMs: number;
}

const PROFILES: { quick: Profile; full: Profile } = {
  quick: { search: { startRate: 20, factor: 2, maxRate: 1000, refinements: 1, maxSteps: 4 }, stepMs: 1000, latencyMs: 2500 },
  full: { search: { startRate: 20, factor: 1.5, maxRate: 1000, refinements: 2, maxSteps: 12 }, stepMs: 3000, latencyMs: 10_000 },
};

interface FanoutMeasurement {
  label: string;
  maxRate: number;
  maxDeliveriesPerSecond: number;
  generatorBound: boolean;
  /** Every rate tried held: the maximum is higher than maxRate. */
  ceilingReached: boolean;
  /** Null when the generator lagged in every attempt: that round's latency is not reported. */
  atTarget: FanoutStepResult | null;
}

async function measureFanout(label: string, launch: Launcher, connect: (server: ServerProcess) => Promise<FanoutTransport>, profile: Profile, log: (line: string) => void): Promise<FanoutMeasurement> {
  const launched = await launch();
  let transport: FanoutTransport | null = null;
  try {
    transport = await connect(launched.server);
    const t = transport;
    const step = (rate: number, durationMs: number): StepConfig => ({ rate, durationMs, warmupMs: Math.min(1000, durationMs / 5), drainMs: 2000 });
    log(` ${label}: ${TARGET_RATE} msg/s to ${t.pool.receivers + 1} members`);
    let atTarget: FanoutStepResult | null = null;
    try {
      atTarget = await guarded(() => runFanoutStep(t, launched.server, step(TARGET_RATE, profile.latencyMs)));
      log(`  last member p50 ${atTarget.lastMember.p50.toFixed(2)} p99 ${atTarget.lastMember.p99.toFixed(2)} ms, cpu ${atTarget.cpuPerDeliveryUs.toFixed(1)} µs/delivery`);
    } catch (error) {
      if (!(error instanceof GeneratorLagError)) throw error;
      log(`  generator lagged every time at ${TARGET_RATE} msg/s; latency of this round not reported`);
    }
    const search = await searchMaxRate(
      profile.search,
      async (rate) => {
        const r = await runFanoutStep(t, launched.server, step(rate, profile.stepMs));
        return { ...r, p99: r.lastMember.p99 };
      },
      log,
    );
    const best = search.best;
    return { label, maxRate: search.maxRate, maxDeliveriesPerSecond: best ? best.deliveriesPerSecond : search.maxRate, generatorBound: search.generatorBound, ceilingReached: search.ceilingReached, atTarget };
  } finally {
    await transport?.close();
    await launched.stop();
  }
}

export const fanOut: Scenario = {
  id: 2,
  title: NAME,
  async run({ quick, log }) {
    const profile = quick ? PROFILES.quick : PROFILES.full;
    const template = await groupTemplate(MEMBERS, log);
    const outcome = await alternate(
      2,
      {
        subject: () => measureFanout('Wanglai', wanglaiFromTemplate(template.dir, { sync: 'full' }), (s) => connectWanglaiGroup(s, template.population), profile, log),
        baseline: () => measureFanout('bare io.to(room).emit', plainServer('socketio-echo'), (s) => bareSocketIoGroup(s.url, MEMBERS), profile, log),
      },
      (r) => r.subject.maxDeliveriesPerSecond / r.baseline.maxDeliveriesPerSecond,
    );
    const measured = outcome.rounds.flatMap((r) => [r.subject, r.baseline]);
    const labels = (pick: (m: (typeof measured)[number]) => boolean) => [...new Set(measured.filter(pick).map((m) => m.label))].join(', ');
    const notes = [
      ...(measured.some((m) => m.generatorBound) ? [`generator-bound max for ${labels((m) => m.generatorBound)}`] : []),
      ...(measured.some((m) => m.ceilingReached) ? [`every rate tried held for ${labels((m) => m.ceilingReached)}: its max is higher`] : []),
    ];
    const note = notes.length > 0 ? notes.join('; ') : undefined;
    const deliveries = abFigure(outcome, (m) => m.maxDeliveriesPerSecond);
    const p99 = abFigure(outcome, (m) => m.atTarget?.lastMember.p99 ?? NaN);
    const p50 = abFigure(outcome, (m) => m.atTarget?.lastMember.p50 ?? NaN);
    const cpu = abFigure(outcome, (m) => m.atTarget?.cpuPerDeliveryUs ?? NaN);
    return [
      row({ scenario: 2, name: NAME, metric: 'max sustained deliveries/s', value: deliveries.value, unit: 'deliveries/s', baseline: deliveries.baseline, ratio: deliveries.ratio, target: 'ratio >= 0.7', ...(note ? { note } : {}) }),
      row({ scenario: 2, name: NAME, metric: `p99 to the last member at ${TARGET_RATE} msg/s`, value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: 'value <= 50' }),
      row({ scenario: 2, name: NAME, metric: `p50 to the last member at ${TARGET_RATE} msg/s`, value: p50.value, unit: 'ms', baseline: p50.baseline, ratio: p50.ratio, target: null }),
      row({ scenario: 2, name: NAME, metric: `server CPU per delivery at ${TARGET_RATE} msg/s`, value: cpu.value, unit: 'µs', baseline: cpu.baseline, ratio: cpu.ratio, target: null }),
    ];
  },
};
