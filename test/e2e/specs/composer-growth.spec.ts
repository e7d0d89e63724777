import type { Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import type { AppHandle } from '../fixtures/app-launcher';
import type { ChatApi, TestUser } from '../fixtures/chat-api';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';
import { call } from '../../integration/helpers/sockets';

/** How far the newest row's bottom lies below the message list's bottom edge (0: in view). */
function newestHiddenPx(page: Page): Promise<number> {
  return page.getByTestId(TEST_IDS.messageList).evaluate((list) => {
    const rows = [...list.querySelectorAll<HTMLElement>('[data-testid="message-row"]')];
    const newest = rows.reduce<HTMLElement | undefined>((a, r) => (a === undefined || Number(r.dataset.seq) > Number(a.dataset.seq) ? r : a), undefined);
    if (newest === undefined) return Infinity;
    return Math.round(newest.getBoundingClientRect().bottom - list.getBoundingClientRect().bottom);
  });
}

/** Bo, who has read all 40 of Ana's messages, with their chat open at the newest. */
async function readerOfForty(api: ChatApi, openApp: (options: { user: TestUser }) => Promise<AppHandle>): Promise<{ page: Page; chat: ChatPane }> {
  const ana = await api.user({ displayName: 'Ana' });
  const bo = await api.user({ displayName: 'Bo' });
  const conversation = await api.contacts(ana, bo);
  await api.seed([ana], conversation.id, 40, (i) => `ana line ${i + 1}`);
  await call(await bo.socket(), 'messages:read', { conversationId: conversation.id, seq: 40 });
  const boApp = await openApp({ user: bo });
  const page = boApp.page;
  const chat = new ChatPane(page);
  await new ShellPage(page).openConversation(conversation.id);
  await expect(chat.message('ana line 40')).toBeVisible();
  return { page, chat };
}

test('at the bottom, the list stays at the bottom as the composer grows and shrinks, and as the window is resized', async ({ openApp, api }) => {
  const { page, chat } = await readerOfForty(api, openApp);
  await expect.poll(() => newestHiddenPx(page)).toBeLessThanOrEqual(0);

  const before = (await chat.input.boundingBox())?.height ?? 0;
  await chat.input.click();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.type(`draft line ${i}`);
    await page.keyboard.press('Shift+Enter');
  }
  // The composer did grow (the list shrank by as much), and the newest message is still in view.
  expect((await chat.input.boundingBox())?.height ?? 0).toBeGreaterThan(before + 60);
  await expect.poll(() => newestHiddenPx(page)).toBeLessThanOrEqual(0);

  await chat.input.fill('');
  await expect.poll(() => newestHiddenPx(page)).toBeLessThanOrEqual(0);

  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.setViewportSize({ width: size.width, height: size.height - 200 });
  await expect.poll(() => newestHiddenPx(page)).toBeLessThanOrEqual(0);
  await page.setViewportSize(size);
  await expect.poll(() => newestHiddenPx(page)).toBeLessThanOrEqual(0);
});

test('scrolled up, the composer growing does not move the reader to the bottom', async ({ openApp, api }) => {
  const { page, chat } = await readerOfForty(api, openApp);
  await chat.list.evaluate((el) => el.scrollTo({ top: el.scrollHeight - el.clientHeight - 400 }));
  await expect.poll(() => newestHiddenPx(page)).toBeGreaterThan(300);
  const top = await chat.list.evaluate((el) => el.scrollTop);

  await chat.input.click();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.type(`draft line ${i}`);
    await page.keyboard.press('Shift+Enter');
  }
  await expect.poll(() => chat.input.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(80);
  expect(await chat.list.evaluate((el) => el.scrollTop)).toBe(top);
});
