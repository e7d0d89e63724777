import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { DEMO_SHOP_HOST } from '../../../server/demo/shop-server';
import { call } from '../../integration/helpers/sockets';
import { clientId } from '../fixtures/chat-api';
import { test, expect } from '../fixtures/test';
import { LANGUAGES } from '../fixtures/ui-text';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

/**
 * 1280 px: wide; 720 px: the desktop window's minimum (main/window.ts); 390 px: one pane at a time
 * and the chat pane's container rules up to 400 px; 320 px: the chat pane under 300 px, no avatars.
 */
const WIDTHS = [1280, 720, 390, 320] as const;
const THEMES = ['light', 'dark'] as const;

/**
 * Where a product message's time and read mark are not as a text message's are, inside its bubble
 * (the card's frame), below the card's content rather than over it.
 */
function misplacedMeta(row: Locator): Promise<string[]> {
  return row.evaluate(
    (element, ids) => {
      const rect = (id: string): DOMRect | undefined => element.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      const show = (r: DOMRect): string => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
      const card = rect(ids.card);
      const content = rect(ids.open);
      if (card === undefined || content === undefined) return ['no product card'];
      const misplaced: string[] = [];
      for (const id of ids.meta) {
        const meta = rect(id);
        if (meta === undefined) continue;
        if (meta.width === 0 || meta.height === 0) misplaced.push(`${id} has no size`);
        if (meta.left < card.left - 0.5 || meta.right > card.right + 0.5 || meta.top < card.top - 0.5 || meta.bottom > card.bottom + 0.5) misplaced.push(`${id} at ${show(meta)} is not inside the card at ${show(card)}`);
        if (meta.top < content.bottom - 0.5 && meta.bottom > content.top + 0.5 && meta.left < content.right && meta.right > content.left) misplaced.push(`${id} at ${show(meta)} lies over the card's content at ${show(content)}`);
      }
      return misplaced;
    },
    { card: TEST_IDS.productCard, open: TEST_IDS.productCardOpen, meta: [TEST_IDS.messageTime, TEST_IDS.readMark] },
  );
}

async function setTheme(page: Page, theme: (typeof THEMES)[number]): Promise<void> {
  const menu = await new ShellPage(page).openSettings();
  await menu.getByTestId(TEST_IDS.themeSwitch).selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
}

// The card used to be drawn without a bubble of its own, its time (and one's own read mark) under
// it, outside the frame, where a text message has them inside its bubble.
for (const language of LANGUAGES) {
  test(`a product message's time and read mark sit inside its card, in both themes and at every width (${language})`, async ({ api, admin, openApp, jadeGarden, requireShop }) => {
    expect(jadeGarden.domains).toContain(DEMO_SHOP_HOST);
    expect(requireShop.port).toBeGreaterThan(0);
    const merchant = await api.user({ displayName: 'Jade Garden staff' });
    const customer = await api.user({ displayName: 'Customer' });
    await admin.linkUser(merchant.user.username, jadeGarden.id);
    const group = await api.group(merchant, [customer], '茶友会 Tea lovers');
    const socket = await merchant.socket();
    const { conversation: direct } = await call(socket, 'conversations:openDirect', { userId: customer.user.id });
    const url = `http://${DEMO_SHOP_HOST}/products/silk-scarf`;
    for (const conversationId of [direct.id, group.id]) await call(socket, 'products:share', { conversationId, clientId: clientId(), url });

    // The customer first, so that the merchant's read marks say "Read" and "Read by 1", their longest.
    const customerApp = await openApp({ user: customer, language });
    const merchantApp = await openApp({ user: merchant, language });
    for (const app of [customerApp, merchantApp]) {
      const { page } = app;
      const own = app === merchantApp;
      const chat = new ChatPane(page);
      const row = chat.rows.and(page.locator('[data-kind="product"]'));
      for (const theme of THEMES) {
        await page.setViewportSize({ width: 1280, height: 800 });
        await setTheme(page, theme);
        for (const conversationId of [direct.id, group.id]) {
          await page.setViewportSize({ width: 1280, height: 800 });
          await new ShellPage(page).openConversation(conversationId);
          await expect(row).toHaveCount(1);
          await expect(row.getByTestId(TEST_IDS.productCard)).toBeVisible();
          const readMark = row.getByTestId(TEST_IDS.readMark);
          if (own) await expect(readMark).toHaveAttribute(conversationId === direct.id ? 'data-read' : 'data-read-count', conversationId === direct.id ? 'true' : '1');
          else await expect(readMark).toHaveCount(0);
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 800 });
            await expect.poll(() => misplacedMeta(row), `${own ? 'own' : 'received'} ${conversationId === direct.id ? 'direct' : 'group'} message, ${theme} theme, ${width} px`).toEqual([]);
          }
        }
      }
    }
  });
}
