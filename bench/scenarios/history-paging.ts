/**
 * Scenario 4: a history page (50 messages) at random depths of conversations holding 10M
 * messages in all, through the chat store itself, in process; the first page is the baseline.
 * OFFSET paging is timed too, for contrast only.
 *
 * The first pages of the ten conversations are always in memory, so deep pages are compared
 * with them in the same state: the file is read through the OS page cache before the measured
 * rounds, as a running server's would be. This machine reclaims cold file pages within minutes
 * (DAMON), so a first pass before that read is reported too, as context: what a page costs
 * when it has to come from the disk.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { abFigure, alternate } from '../ab';
import { historyDataSet, type HistoryDataSet } from '../history-data';
import { LatencyHistogram } from '../histogram';
import { seededRandom } from '../prng';
import { row } from '../results';
import type { Scenario } from '../scenario';
import { REPO_ROOT } from '../server-process';
import { openSqliteStore } from '../../server/store/sqlite-store';

const NAME = 'history page (50) at random depth';
const PAGE = 50;

interface PageTimes {
  p50: number;
  p99: number;
}

function timePages(pages: number, page: (i: number) => unknown): PageTimes {
  const histogram = new LatencyHistogram();
  for (let i = 0; i < pages; i++) {
    const t = performance.now();
    page(i);
    histogram.recordMs(performance.now() - t);
  }
  const s = histogram.summary();
  return { p50: s.p50, p99: s.p99 };
}

/** Reads the whole file once so that its pages are in the OS page cache. */
function readThrough(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function pick(data: HistoryDataSet, random: () => number): { id: string; lastSeq: number } {
  const c = data.conversations[Math.floor(random() * data.conversations.length)];
  if (!c) throw new Error('history data set has no conversations');
  return c;
}

export const historyPaging: Scenario = {
  id: 4,
  title: NAME,
  async run({ quick, log }) {
    const total = quick ? 1_000_000 : 10_000_000;
    const data = historyDataSet(resolve(REPO_ROOT, 'bench/data'), total, log);
    const store = openSqliteStore({ dataDir: data.dataDir, sync: 'normal' });
    const pages = quick ? 8000 : 20_000;
    try {
      const random = seededRandom(4);
      const deep = () =>
        timePages(pages, () => {
          const c = pick(data, random);
          const before = PAGE + 1 + Math.floor(random() * (c.lastSeq - PAGE));
          const page = store.history(c.id, 1, before, PAGE);
          if (page.messages.length !== PAGE) throw new Error(`history page held ${page.messages.length} messages`);
        });
      const first = () =>
        timePages(pages, () => {
          const c = pick(data, random);
          const page = store.history(c.id, 1, c.lastSeq + 1, PAGE);
          if (page.messages.length !== PAGE) throw new Error(`first page held ${page.messages.length} messages`);
        });
      const cold = deep();
      readThrough(`${data.dataDir}/chat.sqlite`);
      // Warm the statements and the cache's upper B-tree levels before anything counts.
      deep();
      first();
      const outcome = await alternate(2, { subject: async () => deep(), baseline: async () => first() }, (r) => r.subject.p99 / r.baseline.p99);
      const p99 = abFigure(outcome, (m) => m.p99);
      const p50 = abFigure(outcome, (m) => m.p50);

      const db = new Database(`${data.dataDir}/chat.sqlite`, { readonly: true });
      const offsetPage = db.prepare('SELECT conversation_id, seq, id, sender_id, client_id, kind, text, created_at, extra FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?');
      const offset = timePages(quick ? 20 : 50, () => {
        const c = pick(data, random);
        offsetPage.all(c.id, PAGE, Math.floor(random() * (c.lastSeq - PAGE)));
      });
      db.close();
      log(`  keyset deep p99 ${p99.value.toFixed(3)} ms, first p99 ${p99.baseline.toFixed(3)} ms, before the page cache read ${cold.p99.toFixed(3)} ms, OFFSET p99 ${offset.p99.toFixed(1)} ms`);
      const note = quick ? 'quick: 1M messages' : undefined;
      return [
        row({ scenario: 4, name: NAME, metric: 'p99 deep vs first page', value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: 'ratio <= 1.5', ...(note ? { note } : {}) }),
        row({ scenario: 4, name: NAME, metric: 'p99 deep page', value: p99.value, unit: 'ms', baseline: p99.baseline, ratio: p99.ratio, target: 'value <= 2' }),
        row({ scenario: 4, name: NAME, metric: 'p50 deep page', value: p50.value, unit: 'ms', baseline: p50.baseline, ratio: p50.ratio, target: null }),
        row({ scenario: 4, name: NAME, metric: 'p99 deep page, first pass before the file is in the page cache', value: cold.p99, unit: 'ms', baseline: p99.baseline, target: null }),
        row({ scenario: 4, name: 'OFFSET paging (contrast)', metric: 'p99 page at random depth', value: offset.p99, unit: 'ms', baseline: p99.baseline, target: null }),
      ];
    } finally {
      await store.close();
    }
  },
};
