import { TEST_IDS } from '../../../renderer/test-ids';
import { en } from '../../../renderer/src/i18n/en';
import { call } from '../../integration/helpers/sockets';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { GroupPanel, NewGroupDialog } from '../pages/group-pages';
import { ShellPage } from '../pages/shell-page';

test('create a group, message it, add and remove a member, rename it, leave it', async ({ openApp, api }) => {
  const owner = await api.user({ displayName: 'Owner' });
  const member = await api.user({ displayName: 'Member' });
  const late = await api.user({ displayName: 'Late' });
  await api.contacts(owner, member);
  await api.contacts(owner, late);
  const ownerApp = await openApp({ user: owner });
  const memberApp = await openApp({ user: member });
  const ownerChat = new ChatPane(ownerApp.page);
  const panel = new GroupPanel(ownerApp.page);

  await new NewGroupDialog(ownerApp.page).create('Tea lovers 茶友', [member.user.id]);
  await expect(ownerChat.title).toHaveText('Tea lovers 茶友');
  const groupId = await ownerChat.pane.getAttribute('data-conversation-id');
  if (groupId === null) throw new Error('the chat pane names no conversation');
  await expect(ownerChat.systemMessages().first()).toBeVisible();

  await ownerChat.send('Welcome to the group');
  const memberShell = new ShellPage(memberApp.page);
  const memberChat = new ChatPane(memberApp.page);
  await expect(memberShell.conversationUnread(groupId)).toBeVisible();
  await memberShell.openConversation(groupId);
  await expect(memberChat.message('Welcome to the group')).toBeVisible();
  await memberChat.send('Thanks!');
  await expect(ownerChat.message('Thanks!').getByTestId(TEST_IDS.messageSender)).toHaveText(member.user.displayName);

  await panel.add([late.user.id]);
  await expect(panel.member(late.user.id)).toHaveAttribute('data-role', 'member');
  await expect(panel.members).toHaveCount(3);
  await expect(ownerChat.systemMessages().filter({ hasText: late.user.displayName })).toBeVisible();

  await panel.remove(late.user.id);
  await expect(panel.member(late.user.id)).toHaveCount(0);
  await expect(panel.members).toHaveCount(2);

  await panel.rename('Tea & silk 茶与丝');
  await expect(ownerChat.title).toHaveText('Tea & silk 茶与丝');
  await expect(memberChat.title).toHaveText('Tea & silk 茶与丝');
  await expect(memberShell.conversation(groupId)).toContainText('Tea & silk 茶与丝');

  await new GroupPanel(memberApp.page).leave();
  await expect(memberShell.conversation(groupId)).toHaveCount(0);
  await expect(panel.member(member.user.id)).toHaveCount(0);
  await expect(ownerChat.systemMessages().filter({ hasText: member.user.displayName }).last()).toBeVisible();
});

test('a removed member loses the group', async ({ openApp, api }) => {
  const owner = await api.user({ displayName: 'Owner' });
  const removed = await api.user({ displayName: 'Removed' });
  const group = await api.group(owner, [removed], 'Short-lived');
  await api.send(owner, group.id, 'Before the removal');
  const removedApp = await openApp({ user: removed });
  const shell = new ShellPage(removedApp.page);
  const chat = new ChatPane(removedApp.page);
  await shell.openConversation(group.id);
  await expect(chat.message('Before the removal')).toBeVisible();

  const ownerApp = await openApp({ user: owner });
  await new ShellPage(ownerApp.page).openConversation(group.id);
  await new GroupPanel(ownerApp.page).remove(removed.user.id);

  await expect(shell.conversation(group.id)).toHaveCount(0);
  await expect(chat.pane).toBeHidden();
  await expect(removedApp.page.getByTestId(TEST_IDS.chatEmpty)).toBeVisible();
  const notice = removedApp.page.getByTestId(TEST_IDS.removedNotice);
  await expect(notice).toContainText('Short-lived');
  await notice.getByTestId(TEST_IDS.removedNoticeDismiss).click();
  await expect(notice).toHaveCount(0);
  // Messages sent afterwards never reach the removed member, even after a reload.
  await api.send(owner, group.id, 'After the removal');
  await removedApp.page.reload();
  await expect(shell.rail).toBeVisible();
  await expect(shell.conversation(group.id)).toHaveCount(0);
});

test('after the owner leaves: the new owner reads that they are owner, and the one who left keeps a name', async ({ openApp, api }) => {
  const ann = await api.user({ displayName: 'Ann' });
  const bo = await api.user({ displayName: 'Bo' });
  const cy = await api.user({ displayName: 'Cy' });
  const group = await api.group(ann, [bo, cy], 'Hand-over');
  await api.send(ann, group.id, 'Ann was here');
  await call(await ann.socket(), 'groups:leave', { conversationId: group.id });

  // Bo is the longest-standing member (no admins): the new owner. Neither Bo nor Cy has Ann as a contact.
  const boApp = await openApp({ user: bo });
  await new ShellPage(boApp.page).openConversation(group.id);
  const boChat = new ChatPane(boApp.page);
  await expect(boChat.systemMessages().last()).toHaveText('You are now the owner');
  await expect(boChat.systemMessages().filter({ hasText: `${ann.user.displayName} left the group` })).toBeVisible();
  const annRow = boChat.message('Ann was here');
  await expect(annRow.getByTestId(TEST_IDS.messageSender)).toHaveText(ann.user.displayName);
  await expect(boChat.list).not.toContainText('Someone');

  const cyApp = await openApp({ user: cy, language: 'zh-CN' });
  await new ShellPage(cyApp.page).openConversation(group.id);
  const cyChat = new ChatPane(cyApp.page);
  await expect(cyChat.systemMessages().last()).toHaveText(`${bo.user.displayName} 成为群主`);
  await expect(cyChat.systemMessages().filter({ hasText: `${ann.user.displayName} 退出了群聊` })).toBeVisible();
  await expect(cyChat.list).not.toContainText('某人');
});

test('a member added again is told that earlier messages are hidden, not that the conversation begins', async ({ openApp, api }) => {
  const owner = await api.user({ displayName: 'Owner' });
  const again = await api.user({ displayName: 'Again' });
  const group = await api.group(owner, [again], 'Back again');
  await api.send(owner, group.id, 'while Again was away');
  const ownerSocket = await owner.socket();
  await call(ownerSocket, 'groups:removeMember', { conversationId: group.id, userId: again.user.id });
  await call(ownerSocket, 'groups:addMembers', { conversationId: group.id, userIds: [again.user.id] });

  const app = await openApp({ user: again });
  await new ShellPage(app.page).openConversation(group.id);
  const chat = new ChatPane(app.page);
  await expect(chat.historyStart).toHaveText(en.chat.historyBeforeJoin);
  await expect(chat.systemMessages()).toHaveText([`${owner.user.displayName} added you`]);
});
