import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

test('direct messages both ways, with unread counts and read marks', async ({ openApp, api }) => {
  const ana = await api.user({ displayName: 'Ana' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ana, bo);
  const anaApp = await openApp({ user: ana });
  const boApp = await openApp({ user: bo });
  const anaShell = new ShellPage(anaApp.page);
  const boShell = new ShellPage(boApp.page);
  const anaChat = new ChatPane(anaApp.page);
  const boChat = new ChatPane(boApp.page);

  await anaShell.openConversation(conversation.id);
  await expect(anaChat.title).toHaveText(bo.user.displayName);
  await anaChat.send('你好 Bo, is the teapot still for sale?');
  await anaChat.send('Second line from Ana');
  const sent = anaChat.message('Second line from Ana');
  await expect(sent).toHaveAttribute('data-state', 'sent');
  await expect(sent.getByTestId(TEST_IDS.readMark)).toHaveAttribute('data-read', 'false');

  // Bo has not opened the chat: two unread, in the list and on the rail.
  await expect(boShell.conversationUnread(conversation.id)).toHaveText('2');
  await expect(boShell.conversation(conversation.id)).toHaveAttribute('data-unread', '2');
  await expect(boShell.totalUnread).toHaveText('2');

  await boShell.openConversation(conversation.id);
  await expect(boChat.message('你好 Bo, is the teapot still for sale?')).toHaveAttribute('data-own', 'false');
  await expect(boShell.conversationUnread(conversation.id)).toBeHidden();
  await expect(boShell.totalUnread).toBeHidden();
  // Opening it read it, and Ana sees the read mark.
  await expect(sent.getByTestId(TEST_IDS.readMark)).toHaveAttribute('data-read', 'true');

  await boChat.send('Yes — 268 yuan.');
  await expect(anaChat.message('Yes — 268 yuan.')).toHaveAttribute('data-own', 'false');
  await expect(boChat.message('Yes — 268 yuan.').getByTestId(TEST_IDS.readMark)).toHaveAttribute('data-read', 'true');
  await expect(anaShell.conversationUnread(conversation.id)).toBeHidden();
});

test('the other side sees a typing indicator while someone types', async ({ openApp, api }) => {
  const ana = await api.user({ displayName: 'Ana' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ana, bo);
  const anaApp = await openApp({ user: ana });
  const boApp = await openApp({ user: bo });
  await new ShellPage(anaApp.page).openConversation(conversation.id);
  await new ShellPage(boApp.page).openConversation(conversation.id);
  const boChat = new ChatPane(boApp.page);
  await expect(boChat.typing).toBeHidden();

  await new ChatPane(anaApp.page).input.pressSequentially('typing…');
  await expect(boChat.typing).toContainText(ana.user.displayName);
  // It goes away on its own once Ana stops.
  await expect(boChat.typing).toBeHidden({ timeout: 15_000 });
});

test('a chat left open behind the Contacts screen is not read until it is shown again', async ({ openApp, api }) => {
  const ann = await api.user({ displayName: 'Ann' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ann, bo);
  const anaApp = await openApp({ user: ann });
  const boApp = await openApp({ user: bo });
  const annChat = new ChatPane(anaApp.page);
  const boShell = new ShellPage(boApp.page);
  const boChat = new ChatPane(boApp.page);

  await boShell.openConversation(conversation.id);
  await expect(boChat.pane).toBeVisible();
  await boShell.showContacts();
  await expect(boChat.pane).toBeHidden();

  await new ShellPage(anaApp.page).openConversation(conversation.id);
  for (const text of ['one', 'two', 'three']) await annChat.send(text);
  const last = annChat.message('three');
  await expect(last).toHaveAttribute('data-state', 'sent');
  // Bo is on Contacts: the messages wait unread, and Ann's side does not say "Read".
  await expect(boShell.totalUnread).toHaveText('3');
  await expect(last.getByTestId(TEST_IDS.readMark)).toHaveAttribute('data-read', 'false');

  await boShell.showChats();
  await expect(boChat.message('three')).toBeVisible();
  await expect(boShell.totalUnread).toBeHidden();
  await expect(last.getByTestId(TEST_IDS.readMark)).toHaveAttribute('data-read', 'true');
});
