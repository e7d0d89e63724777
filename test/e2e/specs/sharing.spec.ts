import { TEST_IDS } from '../../../renderer/test-ids';
import { DEMO_SHOP_HOST } from '../../../server/demo/shop-server';
import { call, emitAck, waitForEvent } from '../../integration/helpers/sockets';
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

// A share to a former contact could only fail; the text share dialog said "Sent to 2 chats." anyway.
test('the share dialogs offer no chat with a former contact, and one who leaves while a dialog is open is not sent to', async ({ api, admin, openApp, jadeGarden }) => {
  const text = uiText('en');
  const merchant = await api.user({ displayName: 'Jade Garden staff' });
  const stays = await api.user({ displayName: 'Stays' });
  const leaves = await api.user({ displayName: 'Leaves' });
  const former = await api.user({ displayName: 'Former' });
  const toStays = await api.contacts(merchant, stays);
  const toLeaves = await api.contacts(merchant, leaves);
  const toFormer = await api.contacts(merchant, former);
  await call(await former.socket(), 'contacts:remove', { userId: merchant.user.id });
  await admin.linkUser(merchant.user.username, jadeGarden.id);
  const app = await openApp({ user: merchant });
  const dialog = new ProductShareDialog(app.page);
  await dialog.prepare(`http://${DEMO_SHOP_HOST}/products/silk-scarf`, [toStays.id, toLeaves.id]);
  await expect(dialog.target(toFormer.id)).toHaveCount(0);

  await call(await leaves.socket(), 'contacts:remove', { userId: merchant.user.id });
  await expect(dialog.target(toLeaves.id)).toHaveCount(0);
  await dialog.send.click();
  await expect(dialog.done).toHaveText(counted(text.share, 'productDone', 1));
  await expect(dialog.error).toHaveCount(0);
  for (const [viewer, conversation, cards] of [[stays, toStays, 1], [leaves, toLeaves, 0]] as const) {
    const { messages } = await call(await viewer.socket(), 'messages:history', { conversationId: conversation.id });
    expect(messages.filter((m) => m.kind === 'product'), viewer.user.displayName).toHaveLength(cards);
  }

  // The text share dialog offers the same chats.
  const sharing = await openApp({ user: merchant, share: { text: 'hello' } });
  const share = new ShareDialog(sharing.page);
  await expect(share.dialog).toBeVisible();
  await expect(share.target(toStays.id)).toHaveCount(1);
  for (const id of [toLeaves.id, toFormer.id]) await expect(share.target(id)).toHaveCount(0);
});

// The share action came and went only at the next start: a merchant suspended meanwhile kept it.
test('the product share action appears when an admin links the user to a merchant, and goes once the merchant is found suspended, without a reload', async ({ api, admin, openApp }) => {
  const seller = await api.user({ displayName: 'Soon a merchant' });
  const buyer = await api.user({ displayName: 'Buyer' });
  const conversation = await api.contacts(seller, buyer);
  const app = await openApp({ user: seller });
  await expect(new ShellPage(app.page).online).toBeVisible();
  const shareProduct = app.page.getByTestId(TEST_IDS.railShareProduct);
  await expect(shareProduct).toHaveCount(0);
  const domain = `fleeting-${seller.user.username.replace(/[^a-z0-9]/g, '')}.example`;
  const merchant = await admin.createMerchant({ name: 'Fleeting Goods', domains: [domain], status: 'verified' });
  await admin.linkUser(seller.user.username, merchant.id);
  await expect(shareProduct).toBeVisible();
  // A share from another device of the seller finds the suspension; the open app hears of it.
  await admin.setMerchantStatus(merchant.id, 'suspended');
  const refused = await emitAck(await seller.socket(), 'products:share', { conversationId: conversation.id, clientId: 'fleeting-share-0001', url: `https://${domain}/p/1` });
  expect(!refused.ok && refused.error.code).toBe('not_verified');
  await expect(shareProduct).toHaveCount(0);
});
