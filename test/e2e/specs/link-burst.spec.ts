import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { MessageLinks } from '../pages/link-views';
import { ShellPage } from '../pages/shell-page';

// A blocked verdict needs no fetch, so its update can reach the reader in the same frame as the
// message itself, while a burst of messages is still being gathered: every warning must land.
test('previews resolved within a burst of messages all reach the reader', async ({ api, admin, openApp, stack }) => {
  const sender = await api.user({ displayName: 'Sender' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(sender, reader);
  const app = await openApp({ user: reader });
  // Tall enough that the virtualised list holds every row of the burst at once.
  await app.page.setViewportSize({ width: 1280, height: 3200 });
  await new ShellPage(app.page).openConversation(conversation.id);
  const host = stack.takeShopHost();
  await admin.block(host, 'burst test');
  const count = 16;
  await Promise.all(Array.from({ length: count }, (_, i) => api.send(sender, conversation.id, `burst [${i}] http://${host}/same`)));

  const chat = new ChatPane(app.page);
  for (let i = 0; i < count; i++) {
    const links = new MessageLinks(chat.messageContaining(`burst [${i}]`));
    await expect(links.warning()).toHaveAttribute('data-reason', 'phishing');
    await expect(links.checkingMarks).toHaveCount(0);
  }
});
