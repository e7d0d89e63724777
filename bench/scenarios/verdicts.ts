/**
 * Scenario 7: link verdicts over 1.2M merchants and 100k blocked domains, in process, with the
 * verification service's own engine; the baseline is a plain Map lookup of the URL's host.
 */
import { performance } from 'node:perf_hooks';
import { abFigure, alternate } from '../ab';
import { LatencyHistogram } from '../histogram';
import { labelFor, seededRandom } from '../prng';
import { row } from '../results';
import type { Scenario } from '../scenario';
import { createVerdictEngine, type MerchantRecord } from '../../server/verify/verdict-rules';

const NAME = 'verdicts, 1.2M merchants + 100k blocked';
const SUFFIXES = ['com', 'cn', 'com.cn', 'net', 'shop', 'co.uk', 'store'];

interface VerdictMeasurement {
  p99: number;
  p50: number;
  perSecond: number;
}

function merchants(count: number): MerchantRecord[] {
  const random = seededRandom(7);
  const out: MerchantRecord[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const status = r < 0.9 ? 'verified' : r < 0.95 ? 'pending' : 'suspended';
    const domain = `${labelFor(i, 'm')}.${SUFFIXES[i % SUFFIXES.length] ?? 'com'}`;
    out.push({ id: `merchant-${i}`, name: `Merchant ${i}`, domains: [domain], status });
  }
  return out;
}

function blockedDomains(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${labelFor(i, 'x')}.${SUFFIXES[(i * 3) % SUFFIXES.length] ?? 'com'}`);
}

/** What people paste: shop pages, blocked hosts' subdomains, unknown sites, lookalikes, odd forms. */
function queries(count: number, merchantCount: number, blockedCount: number): string[] {
  const random = seededRandom(11);
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: count }, (_, i) => {
    const r = random();
    if (r < 0.4) return `https://www.${labelFor(pick(merchantCount), 'm')}.${SUFFIXES[pick(SUFFIXES.length)] ?? 'com'}/item/${i}?spm=a1z10`;
    if (r < 0.6) return `https://login.${labelFor(pick(blockedCount), 'x')}.${SUFFIXES[(pick(blockedCount) * 3) % SUFFIXES.length] ?? 'com'}/verify`;
    if (r < 0.8) return `https://${labelFor(pick(10_000_000), 'u')}.org/path/${i}`;
    if (r < 0.9) return `https://${labelFor(pick(merchantCount), 'm')}.xyz/deal`;
    return i % 2 === 0 ? `http://192.168.${i % 256}.1/` : `https://shop.com@${labelFor(i, 'e')}.top/`;
  });
}

function measure(lookup: (url: string) => unknown, urls: readonly string[]): VerdictMeasurement {
  // Warm-up so the JIT has settled before anything is recorded.
  for (let i = 0; i < Math.min(20_000, urls.length); i++) lookup(urls[i] ?? '');
  const histogram = new LatencyHistogram();
  for (const url of urls) {
    const t = performance.now();
    lookup(url);
    histogram.recordMs(performance.now() - t);
  }
  const started = performance.now();
  for (const url of urls) lookup(url);
  const seconds = (performance.now() - started) / 1000;
  const s = histogram.summary();
  return { p99: s.p99, p50: s.p50, perSecond: urls.length / seconds };
}

export const verdicts: Scenario = {
  id: 7,
  title: NAME,
  async run({ quick, log }) {
    const merchantCount = quick ? 150_000 : 1_200_000;
    const blockedCount = quick ? 12_500 : 100_000;
    const built = performance.now();
    const all = merchants(merchantCount);
    const blocked = blockedDomains(blockedCount);
    const engine = createVerdictEngine({ merchants: all, blocked });
    const byHost = new Map<string, string>();
    for (const m of all) for (const d of m.domains) byHost.set(d, m.status);
    for (const d of blocked) byHost.set(d, 'blocked');
    log(`  ${merchantCount} merchants, ${blockedCount} blocked domains indexed in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    const urls = queries(quick ? 50_000 : 300_000, merchantCount, blockedCount);
    const outcome = await alternate(
      2,
      {
        subject: async () => measure((url) => engine.verdict(url), urls),
        baseline: async () => measure((url) => byHost.get(new URL(url).hostname), urls),
      },
      (r) => r.subject.perSecond / r.baseline.perSecond,
    );
    for (const r of outcome.rounds) log(`  engine ${Math.round(r.subject.perSecond)}/s p99 ${r.subject.p99.toFixed(3)} ms; map ${Math.round(r.baseline.perSecond)}/s p99 ${r.baseline.p99.toFixed(3)} ms`);
    const p99 = abFigure(outcome, (m) => m.p99);
    const p50 = abFigure(outcome, (m) => m.p50);
    const rate = abFigure(outcome, (m) => m.perSecond);
    const note = quick ? `quick: ${merchantCount / 1000}k merchants, ${blockedCount / 1000}k blocked` : undefined;
    return [
      row({ scenario: 7, name: NAME, metric: 'verdict p99', value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: 'value <= 1', ...(note ? { note } : {}) }),
      row({ scenario: 7, name: NAME, metric: 'verdicts per second (one core)', value: rate.value, unit: 'verdicts/s', baseline: rate.baseline, ratio: rate.ratio, target: 'value >= 20000' }),
      row({ scenario: 7, name: NAME, metric: 'verdict p50', value: p50.value, unit: 'ms', baseline: p50.baseline, ratio: p50.ratio, target: null }),
    ];
  },
};
