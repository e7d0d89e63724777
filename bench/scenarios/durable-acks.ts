/**
 * Scenario 3: what durability costs. The same 1:1 load against Wanglai with synchronous=FULL
 * (every commit fsynced; group commit batches the sends of one event-loop turn) and with
 * synchronous=NORMAL, which in WAL mode does not fsync at commit — the "without fsync" case.
 * The chat server offers only these two modes (WANGLAI_SYNC), so NORMAL stands for OFF here.
 */
import { abFigure, alternate } from '../ab';
import { connectWanglaiPairs, pairsTemplate } from '../clients/wanglai-direct';
import { DIRECT_PROFILES, measureDirect } from '../direct-measure';
import { wanglaiFromTemplate } from '../launch';
import { row } from '../results';
import type { Scenario } from '../scenario';

const NAME = 'durable acks: fsync (FULL) vs none (NORMAL)';

export const durableAcks: Scenario = {
  id: 3,
  title: NAME,
  async run({ quick, log }) {
    const profile = quick ? DIRECT_PROFILES.quick : DIRECT_PROFILES.full;
    const template = await pairsTemplate(profile.pairs, log);
    const connect = (s: Parameters<typeof connectWanglaiPairs>[0]) => connectWanglaiPairs(s, template.population);
    const outcome = await alternate(
      2,
      {
        subject: () => measureDirect('Wanglai sync=FULL', wanglaiFromTemplate(template.dir, { sync: 'full' }), connect, profile, log),
        baseline: () => measureDirect('Wanglai sync=NORMAL', wanglaiFromTemplate(template.dir, { sync: 'normal' }), connect, profile, log),
      },
      (r) => r.subject.maxRate / r.baseline.maxRate,
    );
    const max = abFigure(outcome, (m) => m.maxRate);
    const p99 = abFigure(outcome, (m) => m.half?.delivery.p99 ?? NaN);
    const ackP99 = abFigure(outcome, (m) => m.half?.ack.p99 ?? NaN);
    const bound = outcome.rounds.some((r) => r.subject.generatorBound || r.baseline.generatorBound);
    return [
      row({ scenario: 3, name: NAME, metric: 'max sustained rate', value: max.value, unit: 'msg/s', baseline: max.baseline, ratio: max.ratio, target: 'ratio >= 0.8', ...(bound ? { note: 'generator-bound max in some rounds' } : {}) }),
      row({ scenario: 3, name: NAME, metric: 'ack p99 at half max', value: ackP99.value, unit: 'ms', baseline: ackP99.baseline, ratio: ackP99.ratio, target: null }),
      row({ scenario: 3, name: NAME, metric: 'delivery p99 at half max', value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: null }),
    ];
  },
};
