/**
 * Scenario 1: 1:1 send → durable ack → delivery. Maximum sustained open-loop rate, then
 * latency at half of it, against bare Socket.IO (A/B/A/B) and a raw `ws` server. Both baselines
 * put on the wire what the protocol has a 1:1 send cause (the ack, and the message to every
 * socket of both users); bare Socket.IO without the sender's copy is measured once, as context.
 */
import { abFigure, alternate } from '../ab';
import { bareSocketIoPairs, rawWsPairs } from '../clients/direct-transport';
import { connectWanglaiPairs, pairsTemplate } from '../clients/wanglai-direct';
import { DIRECT_PROFILES, measureDirect, type DirectMeasurement } from '../direct-measure';
import { plainServer, wanglaiFromTemplate } from '../launch';
import { row, type ResultRow } from '../results';
import type { Scenario } from '../scenario';

const NAME = '1:1 send → ack → delivery';

function boundNote(m: readonly DirectMeasurement[]): string | undefined {
  const labels = (pick: (x: DirectMeasurement) => boolean) => [...new Set(m.filter(pick).map((x) => x.label))].join(', ');
  const notes = [
    ...(m.some((x) => x.generatorBound) ? [`generator-bound max for ${labels((x) => x.generatorBound)}`] : []),
    ...(m.some((x) => x.ceilingReached) ? [`every rate tried held for ${labels((x) => x.ceilingReached)}: its max is higher`] : []),
  ];
  return notes.length > 0 ? notes.join('; ') : undefined;
}

export const directSend: Scenario = {
  id: 1,
  title: NAME,
  async run({ quick, log }) {
    const profile = quick ? DIRECT_PROFILES.quick : DIRECT_PROFILES.full;
    const template = await pairsTemplate(profile.pairs, log);
    const outcome = await alternate(
      2,
      {
        subject: () => measureDirect('Wanglai', wanglaiFromTemplate(template.dir, { sync: 'full' }), (s) => connectWanglaiPairs(s, template.population), profile, log),
        baseline: () => measureDirect('bare Socket.IO', plainServer('socketio-echo'), (s, p) => bareSocketIoPairs(s.url, p), profile, log),
      },
      (r) => r.subject.maxRate / r.baseline.maxRate,
    );
    const ws = await measureDirect('raw ws', plainServer('ws-echo'), (s, p) => rawWsPairs(s.url, p), profile, log);
    const light = await measureDirect('bare Socket.IO, recipient only', plainServer('socketio-echo'), (s, p) => bareSocketIoPairs(s.url, p, 'recipient-only'), profile, log);
    const all = [...outcome.rounds.flatMap((r) => [r.subject, r.baseline]), ws, light];
    // The ratio is a median of few rounds, and a baseline cut short by its generator inflates it: show each round's.
    const rounds = `rounds ${outcome.ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}`;
    const bound = boundNote(all);
    const note = bound === undefined ? rounds : `${bound}; ${rounds}`;
    const half = (pick: (m: DirectMeasurement) => number | undefined) => abFigure(outcome, (m) => pick(m) ?? NaN);
    const max = half((m) => m.maxRate);
    const p99 = half((m) => m.half?.delivery.p99);
    const p50 = half((m) => m.half?.delivery.p50);
    const p999 = half((m) => m.half?.delivery.p999);
    const ackP99 = half((m) => m.half?.ack.p99);
    const cpu = half((m) => m.half?.cpuPerMessageUs);
    const rows: ResultRow[] = [
      row({ scenario: 1, name: NAME, metric: 'max sustained rate', value: max.value, unit: 'msg/s', baseline: max.baseline, ratio: max.ratio, target: 'ratio >= 0.5', note }),
      row({ scenario: 1, name: NAME, metric: 'delivery p99 at half max', value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: 'value <= 10' }),
      row({ scenario: 1, name: NAME, metric: 'delivery p50 at half max', value: p50.value, unit: 'ms', baseline: p50.baseline, ratio: p50.ratio, target: null }),
      row({ scenario: 1, name: NAME, metric: 'delivery p99.9 at half max', value: p999.value, unit: 'ms', baseline: p999.baseline, ratio: p999.ratio, target: null }),
      row({ scenario: 1, name: NAME, metric: 'ack p99 at half max', value: ackP99.value, unit: 'ms', baseline: ackP99.baseline, ratio: ackP99.ratio, target: null }),
      row({ scenario: 1, name: NAME, metric: 'server CPU per message at half max', value: cpu.value, unit: 'µs', baseline: cpu.baseline, ratio: cpu.ratio, target: null }),
      row({ scenario: 1, name: 'raw ws echo (baseline)', metric: 'max sustained rate', value: ws.maxRate, unit: 'msg/s', baseline: max.baseline, target: null }),
      row({ scenario: 1, name: 'raw ws echo (baseline)', metric: 'delivery p99 at half max', value: ws.half?.delivery.p99 ?? null, unit: 'ms', baseline: p99.baseline, target: null }),
      // Context: Wanglai against the first rounds' lighter baseline (two frames a message, not the protocol's three).
      row({ scenario: 1, name: '1:1 vs bare Socket.IO without the sender\'s copy (context)', metric: 'max sustained rate', value: max.value, unit: 'msg/s', baseline: Number.isFinite(light.maxRate) ? light.maxRate : null, target: null }),
    ];
    return rows;
  },
};
