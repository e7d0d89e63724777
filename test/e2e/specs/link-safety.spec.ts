import { TEST_IDS } from '../../../renderer/test-ids';
import { DEMO_LOOKALIKE_HOST, DEMO_LOOKALIKE_PATH, DEMO_SHOP_HOST } from '../../../server/demo/shop-server';
import type { ChatApi, TestUser } from '../fixtures/chat-api';
import type { AppHandle, Language } from '../fixtures/app-launcher';
import { test, expect } from '../fixtures/test';
import { LANGUAGES, fill, uiText } from '../fixtures/ui-text';
import { ChatPane } from '../pages/chat-pane';
import { Interstitial, MessageLinks } from '../pages/link-views';
import { ShellPage } from '../pages/shell-page';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A sender (over the API) and a reader (in the app, in `language`) with their conversation open. */
async function readerWithSender(api: ChatApi, openApp: (options: { user: TestUser; language: Language }) => Promise<AppHandle>, language: Language) {
  const sender = await api.user({ displayName: 'Sender' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(sender, reader);
  const app = await openApp({ user: reader, language });
  await new ShellPage(app.page).openConversation(conversation.id);
  return { sender, reader, conversation, app, chat: new ChatPane(app.page) };
}

for (const language of LANGUAGES) {
  test.describe(`link safety (${language})`, () => {
    const text = uiText(language);

    test('a verified merchant’s product link shows a verified card, its image from the chat server only', async ({ api, openApp, stack, jadeGarden, requireShop }) => {
      const { sender, conversation, app, chat } = await readerWithSender(api, openApp, language);
      const url = `http://${DEMO_SHOP_HOST}/products/jade-teapot`;
      await api.send(sender, conversation.id, `Our teapot 看看: ${url}`);

      const links = new MessageLinks(chat.messageContaining('Our teapot'));
      const card = links.preview('verified');
      await expect(card).toBeVisible();
      await expect(links.badge()).toHaveText(fill(text.links.verifiedBy, { name: jadeGarden.name }));
      await expect(card).toContainText('青玉茶壶 Celadon Jade Teapot');
      await expect(links.price()).toContainText('268.00');
      // A product page's preview is a product card: no plain verified card, and a name of its own.
      await expect(card.getByTestId(TEST_IDS.linkVerifiedCard)).toHaveCount(0);
      // Its name starts with what it shows (label in name: label, title, price, host), then the address it opens.
      await expect(links.productOpen()).toHaveAccessibleName(new RegExp(`^${escapeRegExp(`${text.links.product} 青玉茶壶 Celadon Jade Teapot `)}\\S*268\\.00 ${escapeRegExp(`${new URL(url).host} ${fill(text.links.productOpens, { url })}`)}$`));
      await expect(links.inline('verified')).toHaveAccessibleName(fill(text.links.open, { url }));
      const image = card.locator('img');
      await expect(image).toHaveAttribute('src', new RegExp(`^${escapeRegExp(stack.baseUrl)}/api/v1/media/[0-9a-f]+$`));
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await expect(links.inline('verified')).toBeVisible();

      // The reader's app spoke to the chat server only: nothing went to the shop, by name or by address.
      expect(app.requests.length).toBeGreaterThan(0);
      expect(app.requests.filter((request) => !request.startsWith(`${stack.baseUrl}/`) && !request.startsWith('data:'))).toEqual([]);
      expect(app.requests.filter((request) => request.includes(DEMO_SHOP_HOST) || request.includes(`:${requireShop.port}`))).toEqual([]);
    });

    test('an unverified link is plain text with an “unverified” mark, nothing to click, and the shop is never asked', async ({ api, openApp, stack, requireShop }) => {
      const { sender, conversation, chat } = await readerWithSender(api, openApp, language);
      const host = stack.takeShopHost();
      const url = `http://${host}/products/silk-scarf`;
      await api.send(sender, conversation.id, `Cheap scarves here ${url}`);

      const row = chat.messageContaining('Cheap scarves');
      const links = new MessageLinks(row);
      const inline = links.inline('unverified');
      await expect(inline).toHaveText(url);
      await expect(links.unverifiedMarks).toHaveText(text.links.unverified);
      await expect(links.previews).toHaveCount(0);
      await expect(links.checkingMarks).toHaveCount(0);
      // Plain text (DESIGN §3 rule 4): not a button or a link, not reachable by Tab.
      expect(await inline.evaluate((element) => element.tagName)).toBe('SPAN');
      expect(await inline.evaluate((element) => element.tabIndex)).toBe(-1);
      await expect(row.getByRole('link')).toHaveCount(0);
      await expect(row.getByRole('button', { name: fill(text.links.open, { url }) })).toHaveCount(0);
      // A screen reader reads the mark right after the URL.
      expect(await row.getByTestId(TEST_IDS.messageText).ariaSnapshot()).toContain(`${url} ${text.links.unverified}`);
      expect(requireShop.requests.filter((request) => request.host.startsWith(host))).toEqual([]);
    });

    test('blocklisted and lookalike links show a red warning in words, are not clickable, and open only through the interstitial', async ({ api, admin, openApp, stack, jadeGarden, requireShop }) => {
      const { sender, conversation, app, chat } = await readerWithSender(api, openApp, language);
      const phishingHost = stack.takeShopHost();
      await admin.block(phishingHost, 'card-stealing login page');
      const phishingUrl = `http://${phishingHost}/login`;
      const lookalikeUrl = `http://${DEMO_LOOKALIKE_HOST}${DEMO_LOOKALIKE_PATH}`;
      await api.send(sender, conversation.id, `Your parcel is held, pay here: ${phishingUrl}`);
      await api.send(sender, conversation.id, `Teapot for 1 yuan ${lookalikeUrl}`);

      const phishing = new MessageLinks(chat.messageContaining('Your parcel is held'));
      await expect(phishing.warning()).toBeVisible();
      await expect(phishing.warning()).toHaveAttribute('data-reason', 'phishing');
      await expect(phishing.warning()).toContainText(text.links.blockedTitle);
      await expect(phishing.warning()).toContainText(text.reasons.phishing);
      await expect(phishing.blockedUrl()).toHaveText(phishingUrl);
      const inline = phishing.inline('blocked');
      await expect(inline).toHaveText(phishingUrl);
      // Not a link, not a button: nothing to click through.
      expect(await inline.evaluate((element) => element.tagName)).toBe('SPAN');
      await expect(chat.messageContaining('Your parcel is held').getByRole('link')).toHaveCount(0);
      await expect(chat.messageContaining('Your parcel is held').getByRole('button', { name: phishingUrl, exact: true })).toHaveCount(0);

      const lookalike = new MessageLinks(chat.messageContaining('Teapot for 1 yuan'));
      await expect(lookalike.warning()).toHaveAttribute('data-reason', 'lookalike');
      const lookalikeWords = [text.reasons.lookalike, fill(text.reasons.lookalikeOf, { domain: jadeGarden.domains[0] ?? DEMO_SHOP_HOST })].map(escapeRegExp).join('|');
      await expect(lookalike.warning()).toContainText(new RegExp(lookalikeWords));
      await expect(lookalike.previews.getByText('限时 1 元')).toHaveCount(0);

      // "Open anyway" is an explicit second step: the interstitial says why, and going back is the default.
      const interstitial = new Interstitial(app.page);
      await phishing.openAnyway().click();
      await expect(interstitial.dialog).toBeVisible();
      await expect(interstitial.reason).toHaveText(text.reasons.phishing);
      await expect(interstitial.url).toHaveText(phishingUrl);
      await expect(interstitial.back).toBeFocused();
      await interstitial.back.click();
      await expect(interstitial.dialog).toBeHidden();

      await phishing.openAnyway().click();
      const opened = await app.openedBy(() => interstitial.open.click());
      expect(opened).toBe(phishingUrl);
      await expect(interstitial.dialog).toBeHidden();

      // Neither blocked page was ever fetched for a preview.
      expect(requireShop.requests.filter((request) => request.host.startsWith(phishingHost) || request.host.startsWith(DEMO_LOOKALIKE_HOST))).toEqual([]);
    });

    test('a verified shop’s link that redirects to a lookalike shows the lookalike’s warning, and “Open anyway” still goes through the interstitial', async ({ api, openApp, jadeGarden, requireShop }) => {
      const { sender, conversation, app, chat } = await readerWithSender(api, openApp, language);
      // The URL is the verified shop's own; its page sends a browser on to the lookalike.
      const url = `http://${DEMO_SHOP_HOST}/hostile/to-lookalike?next=${language}`;
      await api.send(sender, conversation.id, `Claim your refund: ${url}`);
      const links = new MessageLinks(chat.messageContaining('Claim your refund'));
      await expect(links.warning()).toHaveAttribute('data-reason', 'lookalike');
      await expect(links.warning()).toContainText(text.links.blockedTitle);
      await expect(chat.messageContaining('Claim your refund').getByTestId(TEST_IDS.linkVerifiedCard)).toHaveCount(0);
      // A fresh verdict of the URL alone says verified: the interstitial must come anyway.
      const interstitial = new Interstitial(app.page);
      await links.openAnyway().click();
      await expect(interstitial.dialog).toBeVisible();
      await expect(interstitial.url).toHaveText(url);
      await interstitial.back.click();
      await expect(interstitial.dialog).toBeHidden();
      expect(jadeGarden.domains).toContain(DEMO_SHOP_HOST);
      expect(requireShop.requests.filter((request) => request.host.startsWith(DEMO_LOOKALIKE_HOST))).toEqual([]);
    });

    test('clicking a verified link asks a fresh verdict (an unverified one beside it opens nothing); once the merchant is suspended the same link goes to the interstitial', async ({ api, admin, openApp, stack, requireShop }) => {
      const host = stack.takeShopHost();
      const copyHost = stack.takeShopHost();
      const merchant = await admin.createMerchant({ name: `Silk Road Teas ${host.slice(3, 7)}`, domains: [host], status: 'verified' });
      const { sender, conversation, app, chat } = await readerWithSender(api, openApp, language);
      const url = `http://${host}/products/tea-sampler`;
      const copyUrl = `http://${copyHost}/products/tea-sampler`;
      await api.send(sender, conversation.id, `Sampler: ${url} or a copy ${copyUrl}`);

      const links = new MessageLinks(chat.messageContaining('Sampler:'));
      await expect(links.preview('verified')).toBeVisible();
      await expect(links.badge()).toHaveText(fill(text.links.verifiedBy, { name: merchant.name }));
      const inline = links.inline('verified');
      await expect(inline).toHaveRole('button');
      await expect(inline).toHaveAccessibleName(fill(text.links.open, { url }));
      const verdictAsks = (about: string): number => app.sentFrames.filter((frame) => frame.includes('"links:verdict"') && frame.includes(about)).length;
      expect(verdictAsks(host)).toBe(0);

      // Clicking the unverified copy does nothing. A verdict asked for it would go out on the same
      // socket before the verified link's, so it would be recorded by the time that link has
      // opened; a tab it opened would still be there after openedBy closed the verified one.
      await links.inline('unverified').click();
      const opened = await app.openedBy(() => inline.click());
      expect(opened).toBe(url);
      expect(verdictAsks(host)).toBe(1);
      expect(verdictAsks(copyHost)).toBe(0);
      if (app.kind === 'web') expect(app.page.context().pages()).toHaveLength(1);
      // The preview was fetched by the server (the same record that proves the other specs' links never were).
      expect(requireShop.requests.filter((request) => request.host.startsWith(host)).length).toBeGreaterThan(0);

      await admin.setMerchantStatus(merchant.id, 'suspended');
      await inline.click();
      const interstitial = new Interstitial(app.page);
      await expect(interstitial.dialog).toBeVisible();
      await expect(interstitial.reason).toHaveAttribute('data-reason', 'suspended');
      await expect(interstitial.reason).toHaveText(text.reasons.suspended);
      expect(verdictAsks(host)).toBe(2);
      if (app.kind === 'web') expect(app.page.context().pages()).toHaveLength(1);
      await interstitial.back.click();
      await expect(interstitial.dialog).toBeHidden();
    });
  });
}
