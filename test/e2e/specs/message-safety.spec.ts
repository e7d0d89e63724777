import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

const PAYLOADS = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '<svg onload=alert(3)>', '<a href="javascript:alert(4)">click</a>'];

test('markup in a message is shown as text and runs nothing', async ({ openApp, api }) => {
  const sender = await api.user({ displayName: 'Sender' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(sender, reader);
  const senderApp = await openApp({ user: sender });
  const readerApp = await openApp({ user: reader });
  const dialogs: string[] = [];
  for (const app of [senderApp, readerApp]) app.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await new ShellPage(senderApp.page).openConversation(conversation.id);
  await new ShellPage(readerApp.page).openConversation(conversation.id);
  const senderChat = new ChatPane(senderApp.page);
  for (const payload of PAYLOADS) await senderChat.send(payload);

  for (const chat of [senderChat, new ChatPane(readerApp.page)]) {
    for (const payload of PAYLOADS) {
      const row = chat.message(payload);
      await expect(row).toHaveAttribute('data-state', 'sent');
      await expect(row.getByTestId(TEST_IDS.messageText)).toHaveText(payload);
      // No element came out of the text: only the renderer's own spans, and no image anywhere in the row.
      await expect(row.getByTestId(TEST_IDS.messageText).locator(':not(span)')).toHaveCount(0);
      await expect(row.locator('img, script, iframe, a')).toHaveCount(0);
    }
    await expect(chat.list.locator('[onerror], [onload]')).toHaveCount(0);
  }
  expect(dialogs).toEqual([]);
});
