import type { Locator } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { counted, uiText } from '../fixtures/ui-text';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';
import { call, recordEvents } from '../../integration/helpers/sockets';

const en = uiText('en');

/** Whether a row lies whole within the message list's viewport (rows are in the DOM only near it). */
async function inViewport(list: Locator, row: Locator): Promise<boolean> {
  const [l, r] = await Promise.all([list.boundingBox(), row.boundingBox()]);
  return l !== null && r !== null && r.y >= l.y - 1 && r.y + r.height <= l.y + l.height + 1;
}

test('scrolled up, a new message is not read: a "new messages" button shows it and reading it marks it read', async ({ openApp, api }) => {
  const ana = await api.user({ displayName: 'Ana' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ana, bo);
  await api.seed([ana], conversation.id, 60, (i) => `ana message ${i + 1}`);
  // Bo has read all 60 (on another device): the chat opens at the bottom.
  await call(await bo.socket(), 'messages:read', { conversationId: conversation.id, seq: 60 });
  const reads = recordEvents(await ana.socket(), 'read');
  const boApp = await openApp({ user: bo });
  const shell = new ShellPage(boApp.page);
  const chat = new ChatPane(boApp.page);
  await shell.openConversation(conversation.id);
  await expect(chat.message('ana message 60')).toBeVisible();
  const jump = boApp.page.getByTestId(TEST_IDS.newMessagesJump);
  await expect(jump).toBeHidden();

  // Bo scrolls up to read older messages.
  await expect(async () => {
    await chat.list.evaluate((el) => el.scrollTo({ top: 0 }));
    expect(await inViewport(chat.list, chat.message('ana message 1'))).toBe(true);
  }).toPass();

  await api.send(ana, conversation.id, 'new while Bo reads above');
  // Not shown, so not read: counted unread, and a button says it arrived.
  await expect(jump).toHaveText(new RegExp(`^${counted(en.chat, 'newMessages', 1)}`));
  await expect(shell.conversation(conversation.id)).toHaveAttribute('data-unread', '1');
  await expect(shell.totalUnread).toHaveText('1');
  expect(await inViewport(chat.list, chat.message('ana message 1'))).toBe(true);
  const listed = await call(await ana.socket(), 'conversations:list', {});
  expect(listed.conversations.find((c) => c.id === conversation.id)?.members.find((m) => m.user.id === bo.user.id)?.readSeq).toBe(60);
  expect(reads.filter((r) => r.userId === bo.user.id && r.seq > 60)).toEqual([]);

  // The button brings the newest into view; then it is read, and the button goes.
  await jump.click();
  await expect.poll(() => inViewport(chat.list, chat.message('new while Bo reads above'))).toBe(true);
  await expect(jump).toBeHidden();
  await expect(shell.conversation(conversation.id)).toHaveAttribute('data-unread', '0');
  await expect.poll(() => reads.some((r) => r.userId === bo.user.id && r.seq === 61)).toBe(true);

  // At the bottom, a new message comes into view and is read at once, with no button.
  await api.send(ana, conversation.id, 'another at the bottom');
  await expect.poll(() => inViewport(chat.list, chat.message('another at the bottom'))).toBe(true);
  await expect.poll(() => reads.some((r) => r.userId === bo.user.id && r.seq === 62)).toBe(true);
  await expect(jump).toBeHidden();
});

// Three pages back from the newest (50, then 100 a page; 20 read before them): each page's load must start the next.
const UNREAD = 180;

test(`a chat opened with ${UNREAD} unread starts at a divider before the first, and reads only what is scrolled past`, async ({ openApp, api }) => {
  const ana = await api.user({ displayName: 'Ana' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ana, bo);
  await api.seed([ana], conversation.id, 20, (i) => `already read ${i + 1}`);
  await call(await bo.socket(), 'messages:read', { conversationId: conversation.id, seq: 20 });
  await api.seed([ana], conversation.id, UNREAD, (i) => `unread ${i + 1}`);
  const reads = recordEvents(await ana.socket(), 'read');
  const boApp = await openApp({ user: bo });
  const shell = new ShellPage(boApp.page);
  const chat = new ChatPane(boApp.page);
  await expect(shell.conversation(conversation.id)).toHaveAttribute('data-unread', String(UNREAD));
  await shell.openConversation(conversation.id);

  const divider = chat.list.getByTestId(TEST_IDS.unreadDivider);
  await expect(divider).toHaveText(en.chat.unreadBelow);
  await expect.poll(() => inViewport(chat.list, divider)).toBe(true);
  await expect.poll(() => inViewport(chat.list, chat.message('unread 1'))).toBe(true);
  // The divider sits right before the first unread message, in the same slot.
  const firstUnread = chat.list.locator('.message-slot', { has: boApp.page.getByTestId(TEST_IDS.unreadDivider) }).getByTestId(TEST_IDS.messageRow);
  await expect(firstUnread).toHaveAttribute('data-seq', '21');
  await expect(firstUnread.getByTestId(TEST_IDS.messageText)).toHaveText('unread 1');
  await expect(chat.message(`unread ${UNREAD}`)).toHaveCount(0);
  // Only what the viewport shows is read: far fewer than all.
  await expect.poll(async () => Number(await shell.conversation(conversation.id).getAttribute('data-unread'))).toBeLessThan(UNREAD);
  const unreadAtStart = Number(await shell.conversation(conversation.id).getAttribute('data-unread'));
  expect(unreadAtStart).toBeGreaterThan(UNREAD - 50);
  await expect(boApp.page.getByTestId(TEST_IDS.newMessagesJump)).toHaveText(new RegExp(`^${counted(en.chat, 'newMessages', unreadAtStart)}`));
  expect(Math.max(0, ...reads.filter((r) => r.userId === bo.user.id).map((r) => r.seq))).toBeLessThan(70);

  // Scrolling down reads as it goes, up to the end.
  await expect(async () => {
    await chat.list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(await inViewport(chat.list, chat.message(`unread ${UNREAD}`))).toBe(true);
  }).toPass();
  await expect(shell.conversation(conversation.id)).toHaveAttribute('data-unread', '0');
  await expect.poll(() => reads.some((r) => r.userId === bo.user.id && r.seq === 20 + UNREAD)).toBe(true);
});
