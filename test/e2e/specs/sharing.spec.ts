import { TEST_IDS } from '../../../renderer/test-ids';
import { DEMO_SHOP_HOST } from '../../../server/demo/shop-server';
import { waitForEvent } from '../../integration/helpers/sockets';
import { test, expect } from '../fixtures/test';
import { LANGUAGES, counted, fill, uiText } from '../fixtures/ui-text';
import { ChatPane } from '../pages/chat-pane';
import { MessageLinks } from '../pages/link-views';
import { ProductShareDialog, ShareDialog } from '../pages/share-dialogs';
import { ShellPage } from '../pages/shell-page';

for (const language of LANGUAGES) {
  test.describe(`sharing (${language})`, () => {
    const text = uiText(language);

    test('a merchant shares a product card; the customer sees it with price and badge', async ({ api, admin, openApp, jadeGarden, requireShop }) => {
      const merchant = await api.user({ displayName: 'Jade Garden staff' });
      const customer = await api.user({ displayName: 'Customer' });
      const conversation = await api.contacts(merchant, customer);
      await admin.linkUser(merchant.user.username, jadeGarden.id);
      const merchantApp = await openApp({ user: merchant, language });
      const customerApp = await openApp({ user: customer, language });
      await new ShellPage(customerApp.page).openConversation(conversation.id);

      const dialog = new ProductShareDialog(merchantApp.page);
      const url = `http://${DEMO_SHOP_HOST}/products/silk-scarf`;
      await dialog.share(url, [conversation.id]);
      await expect(dialog.done).toHaveText(counted(text.share, 'productDone', 1));

      const rows = new ChatPane(customerApp.page).rows.and(customerApp.page.locator('[data-kind="product"]'));
      await expect(rows).toHaveCount(1);
      const card = new MessageLinks(rows);
      await expect(card.productCards).toHaveAttribute('data-verified', 'true');
      await expect(card.productCards).toHaveAttribute('data-url', url);
      await expect(card.productCards).toContainText('Hangzhou Silk Scarf');
      await expect(card.badge()).toHaveText(fill(text.links.verifiedBy, { name: jadeGarden.name }));
      await expect(card.price()).toContainText('459');
      await expect(card.productCards.locator('img')).toHaveAttribute('src', /\/api\/v1\/media\/[0-9a-f]+$/);
      expect(requireShop.requestsTo('/products/silk-scarf').length).toBeGreaterThan(0);
    });

    test('a user who is not a merchant has no product share action', async ({ api, openApp }) => {
      const user = await api.user();
      const app = await openApp({ user, language });
      await expect(new ShellPage(app.page).rail).toBeVisible();
      await expect(app.page.getByTestId(TEST_IDS.railShareProduct)).toHaveCount(0);
    });

    test('a share request (/share?url=…&text=…) goes to two conversations at once', async ({ api, openApp, appKind }) => {
      test.skip(appKind === 'electron', 'the desktop app takes share requests as wanglai:// deep links, not /share');
      const sharer = await api.user({ displayName: 'Sharer' });
      const first = await api.user({ displayName: 'First' });
      const second = await api.user({ displayName: 'Second' });
      const third = await api.user({ displayName: 'Third' });
      const toFirst = await api.contacts(sharer, first);
      const toSecond = await api.contacts(sharer, second);
      const toThird = await api.contacts(sharer, third);
      const url = `http://${DEMO_SHOP_HOST}/products/celadon-cup`;
      const note = `Look at these cups ${language}`;
      const firstGets = waitForEvent(await first.socket(), 'message:new', { filter: (m) => m.text.includes(note), timeoutMs: 20_000 });
      const secondGets = waitForEvent(await second.socket(), 'message:new', { filter: (m) => m.text.includes(note), timeoutMs: 20_000 });

      const app = await openApp({ user: sharer, language, share: { url, text: note } });
      const dialog = new ShareDialog(app.page);
      await expect(dialog.dialog).toBeVisible();
      await expect(dialog.text).toHaveValue(`${note} ${url}`);
      // The address bar no longer carries the request, so a reload does not share again.
      expect(new URL(app.page.url()).pathname).not.toContain('share');
      await dialog.sendTo([toFirst.id, toSecond.id]);
      await expect(dialog.done).toHaveText(counted(text.share, 'done', 2));

      const [firstMessage, secondMessage] = await Promise.all([firstGets, secondGets]);
      expect(firstMessage.conversationId).toBe(toFirst.id);
      expect(secondMessage.conversationId).toBe(toSecond.id);
      await dialog.dialog.getByTestId(TEST_IDS.dialogClose).first().click();
      const shell = new ShellPage(app.page);
      const chat = new ChatPane(app.page);
      for (const id of [toFirst.id, toSecond.id]) {
        await shell.openConversation(id);
        await expect(chat.messageContaining(note)).toHaveCount(1);
        await expect(chat.messageContaining(note)).toHaveAttribute('data-state', 'sent');
      }
      await shell.openConversation(toThird.id);
      await expect(chat.messageContaining(note)).toHaveCount(0);
    });
  });
}
