/**
 * Scenario 6: the renderer in Chromium against a real chat server. Open a conversation of 100k
 * messages (baseline: one of 1k) from the conversation list, time click → newest row painted;
 * then a scripted scroll and a burst of 500 incoming messages per second, counting frames over
 * 16.7 ms and long tasks (> 50 ms, PerformanceObserver).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { MESSAGE_TEXT } from '../clients/direct-transport';
import { BENCH_PASSWORD, befriend, connectUser, registerMany, runPrefix } from '../clients/wanglai-client';
import { populationTemplate, type Population } from '../clients/wanglai-population';
import { closeAll } from '../clients/sio';
import { wanglaiFromTemplate } from '../launch';
import { runOpenLoop } from '../open-loop';
import { PROBE_SOURCE } from '../renderer-probe';
import { row } from '../results';
import type { Scenario } from '../scenario';
import { REPO_ROOT } from '../server-process';
import { percentile } from '../stats';

const NAME = 'renderer: open 100k-message conversation';
const BIG = 100_000;
const SMALL = 1_000;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BURST_RATE = 500;

interface WatchResult {
  frames: number;
  over16: number;
  worstFrameMs: number;
  longTasks: number;
  worstLongTaskMs: number;
  /** The longest animation frame with its script attribution, as JSON; null when none was over 50 ms. */
  worstLongFrame: string | null;
}

/** Fills the two direct conversations of the template with history, straight into its file. */
function fillHistory(dir: string, population: Population): void {
  const db = new Database(join(dir, 'chat.sqlite'));
  try {
    const [viewer, bigPeer, smallPeer] = population.users;
    const [bigConversation, smallConversation] = population.conversations;
    if (!viewer || !bigPeer || !smallPeer || !bigConversation || !smallConversation) throw new Error('renderer population is incomplete');
    const insert = db.prepare("INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, kind, text, created_at, extra) VALUES (?, ?, ?, ?, ?, 'text', ?, ?, NULL)");
    const lastSeq = db.prepare('SELECT coalesce(max(seq), 0) AS last_seq FROM messages WHERE conversation_id = ?');
    const markRead = db.prepare('UPDATE members SET read_seq = ? WHERE conversation_id = ?');
    const now = Date.now();
    db.transaction(() => {
      for (const [conversation, peer, count] of [[bigConversation, bigPeer, BIG], [smallConversation, smallPeer, SMALL]] as const) {
        const from = (lastSeq.get(conversation) as { last_seq: number }).last_seq + 1;
        const to = from + count - 1;
        // The big conversation's newest message is the newest of all: it heads the list.
        const newest = now - (conversation === bigConversation ? 0 : 1000);
        for (let seq = from; seq <= to; seq++) {
          const sender = seq % 3 === 0 ? viewer.id : peer.id;
          insert.run(conversation, seq, `seed-${conversation}-${seq}`, sender, `seed-${conversation === bigConversation ? 'big' : 'small'}-${seq.toString().padStart(8, '0')}`, `${MESSAGE_TEXT} #${seq}`, newest - (to - seq) * 60_000);
        }
        markRead.run(to, conversation);
      }
    })();
  } finally {
    db.close();
  }
}

function rendererTemplate(log: (line: string) => void) {
  return populationTemplate(
    `renderer-${BIG}`,
    async (server) => {
      const users = await registerMany(server.url, `${runPrefix()}v`, 3);
      const [viewer, big, small] = users;
      if (!viewer || !big || !small) throw new Error('registration returned too few users');
      const sockets = await Promise.all(users.map((u) => connectUser(server.url, u)));
      try {
        const [v, b, s] = sockets as [Socket, Socket, Socket];
        const conversations = [await befriend(v, b, big.id), await befriend(v, s, small.id)];
        return { users, conversations };
      } finally {
        closeAll(sockets);
      }
    },
    log,
    fillHistory,
  );
}

function lastSeqOf(dir: string, conversationId: string): number {
  const db = new Database(join(dir, 'chat.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(seq), 0) AS last_seq FROM messages WHERE conversation_id = ?').get(conversationId) as { last_seq: number }).last_seq;
  } finally {
    db.close();
  }
}

async function switchTo(page: Page, conversationId: string, seq: number): Promise<number> {
  return page.evaluate(`window.__wanglaiBench.switchTo(${JSON.stringify(conversationId)}, ${seq}, 15000)`);
}

function watch(page: Page, durationMs: number, scrollStepPx: number): Promise<WatchResult> {
  return page.evaluate(`window.__wanglaiBench.watch(${durationMs}, ${scrollStepPx})`);
}

/** 500 messages a second from the peer into the open conversation while the page is watched. */
async function burst(page: Page, peer: Socket, conversationId: string, seconds: number): Promise<WatchResult> {
  const watching = watch(page, seconds * 1000 + 500, 0);
  const tag = runPrefix();
  await runOpenLoop({
    rate: BURST_RATE,
    durationMs: seconds * 1000,
    send: (i) => peer.emit('messages:send', { conversationId, clientId: `burst-${tag}-${i}`, text: `${MESSAGE_TEXT} burst ${i}` }, () => undefined),
  });
  return watching;
}

export const rendererSwitch: Scenario = {
  id: 6,
  title: NAME,
  async run({ quick, log }) {
    const index = resolve(REPO_ROOT, 'dist/renderer/index.html');
    if (!existsSync(index)) throw new Error('not yet runnable: the web client is not built (npm run build:renderer makes dist/renderer)');
    if (!existsSync(CHROMIUM)) throw new Error(`not yet runnable: no Chromium at ${CHROMIUM}`);
    const template = await rendererTemplate(log);
    const [viewer, bigPeer, smallPeer] = template.population.users;
    const [bigConversation, smallConversation] = template.population.conversations;
    if (!viewer || !bigPeer || !smallPeer || !bigConversation || !smallConversation) throw new Error('renderer population is incomplete');
    const bigSeq = lastSeqOf(template.dir, bigConversation);
    const smallSeq = lastSeqOf(template.dir, smallConversation);

    const launched = await wanglaiFromTemplate(template.dir, { sync: 'full' })();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const peers: Socket[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript({ content: PROBE_SOURCE });
      await page.goto(launched.server.url);
      await page.getByTestId('auth-username').fill(viewer.username);
      await page.getByTestId('auth-password').fill(BENCH_PASSWORD);
      await page.getByTestId('auth-submit').click();
      await page.locator(`[data-testid="conversation-item"][data-conversation-id="${bigConversation}"]`).waitFor({ timeout: 30_000 });

      const runs = quick ? 25 : 100;
      const discard = 5;
      const big: number[] = [];
      const small: number[] = [];
      for (let i = 0; i < runs; i++) {
        big.push(await switchTo(page, bigConversation, bigSeq));
        small.push(await switchTo(page, smallConversation, smallSeq));
      }
      const bigP95 = percentile(big.slice(discard), 95);
      const smallP95 = percentile(small.slice(discard), 95);
      log(`  switch p95: 100k ${bigP95.toFixed(1)} ms, 1k ${smallP95.toFixed(1)} ms (${runs} runs each, first ${discard} discarded)`);

      await switchTo(page, bigConversation, bigSeq);
      const scrollBig = await watch(page, quick ? 1500 : 3000, 60);
      await switchTo(page, smallConversation, smallSeq);
      const scrollSmall = await watch(page, quick ? 1500 : 3000, 60);
      log(`  scroll: 100k ${scrollBig.over16}/${scrollBig.frames} frames > 16.7 ms, ${scrollBig.longTasks} long tasks; 1k ${scrollSmall.over16}/${scrollSmall.frames}, ${scrollSmall.longTasks}`);

      peers.push(await connectUser(launched.server.url, bigPeer), await connectUser(launched.server.url, smallPeer));
      const [bigSender, smallSender] = peers as [Socket, Socket];
      await switchTo(page, bigConversation, bigSeq);
      const burstBig = await burst(page, bigSender, bigConversation, quick ? 1 : 2);
      await switchTo(page, smallConversation, smallSeq);
      const burstSmall = await burst(page, smallSender, smallConversation, quick ? 1 : 2);
      log(`  ${BURST_RATE} msg/s: 100k ${burstBig.over16}/${burstBig.frames} frames > 16.7 ms, ${burstBig.longTasks} long tasks; 1k ${burstSmall.over16}/${burstSmall.frames}, ${burstSmall.longTasks}`);
      for (const [label, w] of [['scroll 100k', scrollBig], ['scroll 1k', scrollSmall], ['burst 100k', burstBig], ['burst 1k', burstSmall]] as const) {
        if (w.worstLongFrame !== null) log(`  worst long animation frame, ${label}: ${w.worstLongFrame}`);
      }

      const longBig = scrollBig.longTasks + burstBig.longTasks;
      const longSmall = scrollSmall.longTasks + burstSmall.longTasks;
      const note = quick ? `quick: ${runs} switches` : undefined;
      return [
        row({ scenario: 6, name: NAME, metric: 'switch p95, 100k vs 1k', value: bigP95, unit: 'ms', baseline: smallP95, target: 'ratio <= 1.2', ...(note ? { note } : {}) }),
        row({ scenario: 6, name: NAME, metric: 'switch p95', value: bigP95, unit: 'ms', baseline: smallP95, target: 'value <= 100' }),
        row({ scenario: 6, name: NAME, metric: 'long tasks > 50 ms (scroll + 500 msg/s)', value: longBig, unit: 'tasks', baseline: longSmall, ratio: null, target: 'value <= 0' }),
        row({ scenario: 6, name: NAME, metric: 'frames > 16.7 ms while scrolling', value: scrollBig.over16, unit: `of ${scrollBig.frames}`, baseline: scrollSmall.over16, ratio: null, target: null }),
        row({ scenario: 6, name: NAME, metric: `frames > 16.7 ms at ${BURST_RATE} msg/s`, value: burstBig.over16, unit: `of ${burstBig.frames}`, baseline: burstSmall.over16, ratio: null, target: null }),
        row({ scenario: 6, name: NAME, metric: 'worst long task', value: Math.max(scrollBig.worstLongTaskMs, burstBig.worstLongTaskMs), unit: 'ms', baseline: Math.max(scrollSmall.worstLongTaskMs, burstSmall.worstLongTaskMs), ratio: null, target: null }),
      ];
    } finally {
      closeAll(peers);
      await browser.close();
      await launched.stop();
    }
  },
};
