import { TEST_IDS } from '../../../renderer/test-ids';
import { recordEvents } from '../../integration/helpers/sockets';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

test('a message sent offline is delivered exactly once after reconnecting', async ({ openApp, api }) => {
  const sender = await api.user({ displayName: 'Sender' });
  const recipient = await api.user({ displayName: 'Recipient' });
  const conversation = await api.contacts(sender, recipient);
  const received = recordEvents(await recipient.socket(), 'message:new');
  const senderApp = await openApp({ user: sender });
  const recipientApp = await openApp({ user: recipient });
  const shell = new ShellPage(senderApp.page);
  const chat = new ChatPane(senderApp.page);
  await shell.openConversation(conversation.id);
  await new ShellPage(recipientApp.page).openConversation(conversation.id);

  await senderApp.setOffline(true);
  await expect(shell.connectionBanner).toBeVisible({ timeout: 30_000 });
  const text = 'Sent while the cable was out';
  await chat.send(text);
  const row = chat.message(text);
  await expect(row).toHaveAttribute('data-state', 'pending');
  await expect(row.getByTestId(TEST_IDS.messagePending)).toBeVisible();
  await expect(shell.conversation(conversation.id).getByTestId(TEST_IDS.conversationPreview)).toContainText(text);

  await senderApp.setOffline(false);
  await expect(shell.connectionBanner).toBeHidden({ timeout: 30_000 });
  await expect(row).toHaveAttribute('data-state', 'sent');
  await expect(row.getByTestId(TEST_IDS.messagePending)).toHaveCount(0);
  await expect(row).toHaveCount(1);

  const recipientChat = new ChatPane(recipientApp.page);
  await expect(recipientChat.message(text)).toHaveCount(1);
  // Once more after a reload of the sender, from the server's own history: still one.
  await senderApp.page.reload();
  await shell.openConversation(conversation.id);
  await expect(chat.message(text)).toHaveCount(1);
  await expect(recipientChat.message(text)).toHaveCount(1);
  expect(received.filter((m) => m.text === text)).toHaveLength(1);
});
