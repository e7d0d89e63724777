/**
 * Scenario 5: memory per idle authenticated connection. The server runs with --expose-gc and is
 * collected before each reading; bare Socket.IO is the baseline (A/B/A/B). The generator holds
 * the sockets with the light raw-protocol client: the server side of a connection is the same
 * whatever the client library, and thousands of sockets open faster.
 */
import { abFigure, alternate } from '../ab';
import { connectRaw, type RawSocket } from '../clients/raw-socketio';
import { inBatches } from '../clients/sio';
import { registerMany, runPrefix } from '../clients/wanglai-client';
import { populationTemplate } from '../clients/wanglai-population';
import { plainServer, wanglaiFromTemplate, type Launcher } from '../launch';
import { row } from '../results';
import type { Scenario } from '../scenario';

const NAME = 'idle connections';
const USERS = 100;

interface IdleMeasurement {
  heapPerConnection: number;
  rssPerConnection: number;
}

const ignoreEvents = () => undefined;

async function measureIdle(label: string, launch: Launcher, auth: (index: number) => Record<string, string>, count: number, log: (line: string) => void): Promise<IdleMeasurement> {
  const began = Date.now();
  const launched = await launch();
  let sockets: RawSocket[] = [];
  try {
    const before = await launched.server.stats({ gc: true });
    sockets = await inBatches(count, 50, (i) => connectRaw(launched.server.url, auth(i), ignoreEvents));
    const after = await launched.server.stats({ gc: true });
    const m = { heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / count, rssPerConnection: (after.rss - before.rss) / count };
    log(` ${label}: ${count} sockets, ${Math.round(m.heapPerConnection)} B heap+external and ${Math.round(m.rssPerConnection)} B RSS per connection (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    return m;
  } finally {
    for (const socket of sockets) socket.close();
    await launched.stop();
  }
}

export const idleConnections: Scenario = {
  id: 5,
  title: NAME,
  async run({ quick, log }) {
    const count = quick ? 2000 : 10_000;
    const template = await populationTemplate(`idle-${USERS}`, async (server) => ({ users: await registerMany(server.url, `${runPrefix()}i`, USERS), conversations: [] }), log);
    const users = template.population.users;
    const gc = { nodeArgs: ['--expose-gc'] };
    const outcome = await alternate(
      2,
      {
        subject: () =>
          measureIdle('Wanglai', wanglaiFromTemplate(template.dir, { sync: 'full', ...gc }), (i) => {
            const user = users[i % users.length];
            if (!user) throw new Error('idle population has no users');
            return { token: user.token };
          }, count, log),
        baseline: () => measureIdle('bare Socket.IO', plainServer('socketio-echo', gc), (i) => ({ id: `u${i % USERS}` }), count, log),
      },
      (r) => r.subject.heapPerConnection / r.baseline.heapPerConnection,
    );
    const heap = abFigure(outcome, (m) => m.heapPerConnection);
    const rss = abFigure(outcome, (m) => m.rssPerConnection);
    const note = `${count} sockets of ${USERS} users${quick ? ' (quick)' : ''}`;
    return [
      row({ scenario: 5, name: NAME, metric: 'heap + external bytes per connection', value: heap.value, unit: 'B', baseline: heap.baseline, ratio: heap.ratio, target: 'ratio <= 1.3', note }),
      row({ scenario: 5, name: NAME, metric: 'RSS bytes per connection', value: rss.value, unit: 'B', baseline: rss.baseline, ratio: rss.ratio, target: 'ratio <= 1.3' }),
    ];
  },
};
