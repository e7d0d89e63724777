import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ShellPage } from '../pages/shell-page';

/**
 * Records the text of every node added to a live region (aria-live, role log / status / alert),
 * or of an alert added anywhere: what a screen reader would announce.
 */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = [];
    (window as unknown as { announced: string[] }).announced = said;
    const live = '[aria-live]:not([aria-live="off"]), [role="log"], [role="status"], [role="alert"]';
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
        const inLive = target?.closest(live) != null;
        for (const node of mutation.addedNodes) {
          const alert = node instanceof Element && (node.matches(live) || node.querySelector('[role="alert"]') !== null);
          if ((inLive || alert) && (node.textContent ?? '').trim() !== '') said.push(node.textContent ?? '');
        }
        if (mutation.type === 'characterData' && inLive) said.push(mutation.target.textContent ?? '');
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const announced = (page: Page): Promise<string[]> => page.evaluate(() => [...(window as unknown as { announced: string[] }).announced]);

/** The text a screen reader reads in a row: aria-hidden parts (the avatar's initial) left out. */
const spoken = (row: Locator): Promise<string> =>
  row.evaluate((element) => {
    const copy = element.cloneNode(true) as Element;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return copy.textContent ?? '';
  });

/** A focus indicator as computed: an outline or a box shadow. */
const focusRing = (element: Locator): Promise<{ outline: string; boxShadow: string; visible: boolean }> =>
  element.evaluate((e) => {
    const style = getComputedStyle(e);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
    return { outline, boxShadow: style.boxShadow, visible };
  });

/** Focus as the keyboard gives it (a key pressed first, so the browser shows :focus-visible). */
async function keyboardFocus(page: Page, element: Locator): Promise<void> {
  await page.keyboard.press('Shift');
  await element.focus();
  await expect(element).toBeFocused();
}

test('the message list is no live region: scrolling back announces nothing, a new message from someone else is announced once', async ({ api, openApp }) => {
  const ann = await api.user({ displayName: 'Ann' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(ann, reader);
  await api.seed([ann, reader], conversation.id, 160, (i) => `old message ${i}`);

  const { page } = await openApp({ user: reader });
  await new ShellPage(page).openConversation(conversation.id);
  const chat = new ChatPane(page);
  await expect(chat.rows.first()).toBeVisible();
  await chat.list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const texts = (): Promise<string[]> => chat.rows.getByTestId(TEST_IDS.messageText).allTextContents();
  const atTheEnd = new Set(await texts());
  await recordAnnouncements(page);

  // Back through the history by keyboard, then to the very start: old rows come into the page.
  await chat.list.focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press('PageUp');
  await expect(async () => {
    await chat.list.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(chat.historyStart).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  // Old rows did come into the page (and into what was the live region).
  expect((await texts()).filter((text) => !atTheEnd.has(text)).length).toBeGreaterThan(20);
  expect(await announced(page)).toEqual([]);
  await expect(chat.list).not.toHaveAttribute('role', 'log');
  expect(await chat.list.getAttribute('aria-live')).toBeNull();
  const announcer = page.getByTestId(TEST_IDS.messageAnnouncer);
  await expect(announcer).toHaveAttribute('aria-live', 'polite');

  await api.send(ann, conversation.id, 'fresh tea has arrived');
  await expect(announcer).toContainText(`New message from ${ann.user.displayName}: fresh tea has arrived`);
  await expect.poll(() => announced(page)).toEqual([`New message from ${ann.user.displayName}: fresh tea has arrived`]);
});

test('every row says who wrote it: "You" on your own, the name on the other person’s, in a direct chat', async ({ api, openApp }) => {
  const ann = await api.user({ displayName: 'Ann' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(ann, reader);
  await api.send(ann, conversation.id, 'hello from Ann');
  const { page } = await openApp({ user: reader });
  await new ShellPage(page).openConversation(conversation.id);
  const chat = new ChatPane(page);
  await chat.send('hello from me');
  const mine = chat.message('hello from me').and(page.locator('[data-state="sent"]'));
  await expect(mine).toBeVisible();
  const theirs = chat.message('hello from Ann');
  await expect(theirs).toHaveJSProperty('tagName', 'ARTICLE');
  expect(await spoken(theirs)).toMatch(new RegExp(`^${ann.user.displayName}: hello from Ann\\d\\d:\\d\\d\\.$`));
  await expect.poll(() => spoken(mine)).toMatch(/^You: hello from me\d\d:\d\d, (Read|Unread)\.$/);
});

test('focus is visible on the message list and on the language and theme selects', async ({ api, openApp }) => {
  const ann = await api.user({ displayName: 'Ann' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(ann, reader);
  await api.send(ann, conversation.id, 'hello');

  const signedOut = await openApp({});
  for (const id of [TEST_IDS.languageSwitch, TEST_IDS.themeSwitch]) {
    const select = signedOut.page.getByTestId(TEST_IDS.authScreen).getByTestId(id);
    await keyboardFocus(signedOut.page, select);
    expect(await focusRing(select), `${id} on the sign-in screen`).toMatchObject({ visible: true });
  }
  await signedOut.close();

  const { page } = await openApp({ user: reader });
  const shell = new ShellPage(page);
  await shell.openConversation(conversation.id);
  const chat = new ChatPane(page);
  await expect(chat.message('hello')).toBeVisible();
  await keyboardFocus(page, chat.list);
  expect(await focusRing(chat.list), 'message list').toMatchObject({ visible: true });

  const menu = await shell.openSettings();
  for (const id of [TEST_IDS.languageSwitch, TEST_IDS.themeSwitch]) {
    const select = menu.getByTestId(id);
    await keyboardFocus(page, select);
    expect(await focusRing(select), `${id} in the settings menu`).toMatchObject({ visible: true });
  }
});

/** Contrast of each element's text against what is behind it, composited, as WCAG 2 computes it. */
function contrasts(elements: Locator): Promise<{ text: string; ratio: number }[]> {
  return elements.evaluateAll((list) => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba => {
      const [r = 0, g = 0, b = 0, a = 1] = (value.match(/[\d.]+/g) ?? []).map(Number);
      // color(srgb r g b / a) holds 0-1 channels; rgb(a) holds 0-255.
      return value.startsWith('color(') ? [r * 255, g * 255, b * 255, a] : [r, g, b, a];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba): number => {
      const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let at: Element | null = element; at !== null; at = at.parentElement) {
        const colour = parse(getComputedStyle(at).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] >= 1) break;
      }
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    return list.map((element) => {
      const behind = background(element);
      const text = over(parse(getComputedStyle(element).color), behind);
      const hi = Math.max(luminance(text), luminance(behind));
      const lo = Math.min(luminance(text), luminance(behind));
      return { text: `${element.getAttribute('data-testid') ?? element.className} "${element.textContent ?? ''}"`, ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 };
    });
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`muted text reaches 4.5:1 in the ${theme} theme: times in the list (selected or not) and in both bubbles, the history start, the day separator`, async ({ api, openApp }) => {
    const ann = await api.user({ displayName: 'Ann' });
    const cy = await api.user({ displayName: 'Cy' });
    const reader = await api.user({ displayName: 'Reader' });
    const conversation = await api.contacts(ann, reader);
    const other = await api.contacts(cy, reader);
    await api.send(ann, conversation.id, 'from Ann');
    await api.send(cy, other.id, 'from Cy');

    const { page } = await openApp({ user: reader });
    const shell = new ShellPage(page);
    const menu = await shell.openSettings();
    await menu.getByTestId(TEST_IDS.themeSwitch).selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.keyboard.press('Escape');
    await shell.openConversation(conversation.id);
    const chat = new ChatPane(page);
    await chat.send('from me');
    await expect(chat.message('from me').and(page.locator('[data-state="sent"]'))).toBeVisible();
    await expect(chat.historyStart).toBeVisible();

    const measured = [
      ...(await contrasts(page.getByTestId(TEST_IDS.conversationTime))),
      ...(await contrasts(page.getByTestId(TEST_IDS.conversationPreview))),
      ...(await contrasts(chat.list.getByTestId(TEST_IDS.messageTime))),
      ...(await contrasts(chat.historyStart)),
      ...(await contrasts(page.getByTestId(TEST_IDS.daySeparator).locator('span'))),
    ];
    // Both list items (the open one is selected), both bubbles, the start and the separator.
    expect(measured.length).toBeGreaterThanOrEqual(8);
    for (const { text, ratio } of measured) expect(ratio, text).toBeGreaterThanOrEqual(4.5);
  });
}
