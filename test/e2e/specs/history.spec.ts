import { MESSAGE_BURST } from '../fixtures/chat-api';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

const COUNT = 1050;
const label = (i: number): string => `history #${String(i).padStart(4, '0')}`;

test(`history of ${COUNT} messages loads page by page while scrolling up`, async ({ openApp, api }) => {
  test.setTimeout(120_000);
  const reader = await api.user({ displayName: 'Reader' });
  const senders = await Promise.all(Array.from({ length: Math.ceil(COUNT / MESSAGE_BURST) }, () => api.user({ displayName: 'Sender' })));
  const group = await api.group(reader, senders, 'A long history');
  // Fast over sockets, spread over the senders: the reader's own burst allowance stays untouched.
  // Sends run several at a time, so seq only roughly follows i: the first and the last are sent
  // alone, before and after the rest, to be the oldest and the newest for sure.
  const [first] = senders;
  if (first === undefined) throw new Error('no sender');
  await api.send(first, group.id, label(0));
  await api.seed(senders, group.id, COUNT - 2, (i) => label(i + 1));
  await api.send(first, group.id, label(COUNT - 1));

  const { page } = await openApp({ user: reader });
  await new ShellPage(page).openConversation(group.id);
  const chat = new ChatPane(page);
  await expect(chat.message(label(COUNT - 1))).toBeVisible();
  // Only the first page is held, and only what is on screen is in the DOM.
  await expect(chat.message(label(0))).toHaveCount(0);
  await expect(chat.historyStart).toHaveCount(0);

  await expect(async () => {
    await chat.list.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(chat.historyStart).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 60_000 });
  await expect(chat.message(label(0))).toBeVisible();
  expect(await chat.rows.count()).toBeLessThan(200);
});
