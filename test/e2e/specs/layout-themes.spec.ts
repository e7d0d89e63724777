import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { DEMO_SHOP_HOST } from '../../../server/demo/shop-server';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { GroupPanel } from '../pages/group-pages';
import { MessageLinks } from '../pages/link-views';
import { ShellPage } from '../pages/shell-page';

/** A CSS colour expression (`var(--danger)`) as the page resolves it: `rgb(…)`. */
function resolvedColour(page: Page, expression: string): Promise<string> {
  return page.evaluate((value) => {
    const probe = document.createElement('span');
    probe.style.color = value;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, expression);
}

const colourOf = (element: Locator): Promise<string> => element.evaluate((e) => getComputedStyle(e).color);

async function box(element: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await element.boundingBox();
  if (found === null) throw new Error(`${element.toString()} is not visible`);
  return found;
}

// A theme rule like `:root[data-theme='dark'] .inline-link` outranks `.inline-link.is-blocked`:
// every link came out the same blue in the dark theme, a blocked one marked only by its strikethrough.
test('dark theme: a blocked link shows the danger colour, an unverified one the text colour with no underline, a verified one the link colour', async ({ api, admin, openApp, stack, jadeGarden, requireShop }) => {
  expect(jadeGarden.domains).toContain(DEMO_SHOP_HOST);
  expect(requireShop.port).toBeGreaterThan(0);
  const sender = await api.user({ displayName: 'Sender' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(sender, reader);
  const blockedHost = stack.takeShopHost();
  await admin.block(blockedHost, 'dark theme colours');
  const unverifiedHost = stack.takeShopHost();
  await api.send(sender, conversation.id, `Three links: http://${DEMO_SHOP_HOST}/products/jade-teapot and http://${unverifiedHost}/guide and http://${blockedHost}/login`);

  const app = await openApp({ user: reader });
  const shell = new ShellPage(app.page);
  const menu = await shell.openSettings();
  await menu.getByTestId(TEST_IDS.themeSwitch).selectOption('dark');
  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shell.openConversation(conversation.id);

  const row = new ChatPane(app.page).messageContaining('Three links');
  const links = new MessageLinks(row);
  const verified = links.inline('verified');
  const unverified = links.inline('unverified');
  const blocked = links.inline('blocked');
  await expect(verified).toBeVisible();
  await expect(unverified).toBeVisible();
  await expect(blocked).toBeVisible();
  await expect(links.unverifiedMarks).toBeVisible();

  const danger = await resolvedColour(app.page, 'var(--danger)');
  const darkLink = await resolvedColour(app.page, 'var(--link)');
  const text = await colourOf(row.getByTestId(TEST_IDS.messageText));
  expect(await colourOf(blocked)).toBe(danger);
  expect(await colourOf(blocked)).not.toBe(await colourOf(verified));
  expect(await colourOf(verified)).toBe(darkLink);
  expect(await colourOf(unverified)).toBe(text);
  expect(await colourOf(unverified)).not.toBe(await colourOf(verified));
  // Unverified is plain text (DESIGN §3 rule 4): nothing about it says "click me".
  expect(await unverified.evaluate((e) => getComputedStyle(e).textDecorationLine)).toBe('none');
  expect(await unverified.evaluate((e) => getComputedStyle(e).cursor)).not.toBe('pointer');
  expect(await verified.evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain('underline');
  expect(await blocked.evaluate((e) => getComputedStyle(e).textDecorationLine)).toContain('line-through');
});

// 720 px is the desktop window's minimum width (main/window.ts). With the group panel open the chat
// used to be squeezed to 142 px: the title spilled, the product card became a thin line and the
// Send button went under the panel.
test('at 720 px with the group panel open the chat keeps a usable width; the list’s focus ring is not cut off', async ({ api, openApp, jadeGarden, requireShop }) => {
  expect(jadeGarden.domains).toContain(DEMO_SHOP_HOST);
  expect(requireShop.port).toBeGreaterThan(0);
  const owner = await api.user({ displayName: 'Owner' });
  const member = await api.user({ displayName: 'Member' });
  const group = await api.group(owner, [member], '茶友会 Tea lovers of the western lake, weekend tasting circle');
  await api.send(member, group.id, `Look: http://${DEMO_SHOP_HOST}/products/jade-teapot`);

  const app = await openApp({ user: owner });
  await app.page.setViewportSize({ width: 720, height: 700 });
  const shell = new ShellPage(app.page);
  const chat = new ChatPane(app.page);
  await shell.openConversation(group.id);

  // The first chat's focus ring lies wholly inside the scrolling list, which clips what sticks out.
  const first = shell.conversations.first();
  await shell.filter.focus();
  await app.page.keyboard.press('Tab');
  await expect(first).toBeFocused();
  const ring = await first.evaluate((item) => {
    const style = getComputedStyle(item);
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const itemBox = item.getBoundingClientRect();
    const listBox = item.closest('ul')?.getBoundingClientRect();
    return { style: style.outlineStyle, top: itemBox.top - reach, listTop: listBox?.top ?? Infinity };
  });
  expect.soft(ring.style).not.toBe('none');
  expect.soft(ring.top, 'the focus ring’s top edge').toBeGreaterThanOrEqual(ring.listTop);

  const panel = new GroupPanel(app.page);
  await panel.open();
  await expect(panel.panel).toBeVisible();
  const card = chat.messageContaining('Look:').getByTestId(TEST_IDS.productCard);
  await expect(card).toBeVisible();

  const panelBox = await box(panel.panel);
  const paneBox = await box(chat.pane);
  const sendBox = await box(chat.sendButton);
  const titleBox = await box(chat.title);
  const cardBox = await box(card);
  expect(paneBox.width).toBeGreaterThanOrEqual(320);
  expect(paneBox.x + paneBox.width).toBeLessThanOrEqual(panelBox.x + 1);
  expect(sendBox.x + sendBox.width).toBeLessThanOrEqual(panelBox.x);
  expect(sendBox.x).toBeGreaterThanOrEqual(paneBox.x);
  expect(titleBox.x + titleBox.width).toBeLessThanOrEqual(panelBox.x);
  expect(cardBox.width).toBeGreaterThanOrEqual(200);
  expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(paneBox.x + paneBox.width);
});
