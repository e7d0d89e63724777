import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { uiText } from '../fixtures/ui-text';
import { call } from '../../integration/helpers/sockets';
import { ChatPane } from '../pages/chat-pane';
import { ContactsPage } from '../pages/contacts-page';
import { GroupPanel } from '../pages/group-pages';
import { Interstitial, MessageLinks } from '../pages/link-views';
import { ShellPage } from '../pages/shell-page';

async function box(element: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await element.boundingBox();
  if (found === null) throw new Error(`${element.toString()} is not visible`);
  return found;
}

// At 600 px and below the window shows one pane at a time, as phone messengers do: the list, or the
// open chat with a Back button that returns to the list.
test('at 390 px the list fills the width, a chat replaces it, and Back returns to the list with the item focused', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Narrow' });
  const ann = await api.user({ displayName: 'Ann' });
  const bo = await api.user({ displayName: 'Bo' });
  const withAnn = await api.contacts(me, ann);
  await api.contacts(me, bo);
  await api.send(ann, withAnn.id, 'hello from Ann');
  const { page } = await openApp({ user: me });
  await page.setViewportSize({ width: 390, height: 800 });
  const shell = new ShellPage(page);
  const chat = new ChatPane(page);
  const text = uiText('en');
  const list = page.getByRole('region', { name: text.conversations.title });
  const back = page.getByRole('button', { name: text.chat.back, exact: true });
  await expect(shell.online).toBeVisible();

  // The list takes all the width beside the rail; no empty "pick a chat" pane, no Back button.
  const rail = await box(shell.rail);
  const listBox = await box(list);
  expect(listBox.x).toBeCloseTo(rail.x + rail.width, 0);
  expect(listBox.x + listBox.width).toBeCloseTo(390, 0);
  await expect(page.getByTestId(TEST_IDS.chatEmpty)).toBeHidden();
  await expect(back).toHaveCount(0);
  await expect(shell.conversation(withAnn.id).getByTestId(TEST_IDS.conversationTitle)).toBeVisible();

  // Opening a chat shows only the chat, with its Back button; the message box has the focus.
  await shell.conversation(withAnn.id).click();
  await expect(chat.pane).toHaveAttribute('data-conversation-id', withAnn.id);
  await expect(chat.input).toBeFocused();
  await expect(list).toBeHidden();
  await expect(back).toBeVisible();
  const pane = await box(chat.pane);
  expect(pane.x).toBeCloseTo(rail.x + rail.width, 0);
  expect(pane.x + pane.width).toBeCloseTo(390, 0);
  await expect(shell.conversationUnread(withAnn.id)).toHaveCount(0);

  // Back, by keyboard: the list again, the conversation's item focused.
  await back.focus();
  await page.keyboard.press('Enter');
  await expect(chat.pane).toHaveCount(0);
  await expect(list).toBeVisible();
  await expect(shell.conversation(withAnn.id)).toBeFocused();
  await expect(shell.conversation(withAnn.id)).not.toHaveAttribute('aria-current', 'true');

  // A chat that is not shown is not marked read: Ann's next message waits as unread until it is opened.
  await api.send(ann, withAnn.id, 'are you there?');
  await expect(shell.conversationUnread(withAnn.id)).toHaveText('1');
  await page.waitForTimeout(500);
  await expect(shell.conversationUnread(withAnn.id)).toHaveText('1');
  await page.keyboard.press('Enter');
  await expect(chat.message('are you there?')).toBeVisible();
  await expect(chat.input).toBeFocused();
  await expect(shell.conversationUnread(withAnn.id)).toHaveCount(0);

  // Widening past 600 px brings back the avatar strip beside the chat, without the Back button.
  await page.setViewportSize({ width: 620, height: 800 });
  await expect(list).toBeVisible();
  expect((await box(list)).width).toBeLessThan(80);
  await expect(back).toBeHidden();
});

test('the Back button is named in Chinese too', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Narrow' });
  const ann = await api.user({ displayName: 'Ann' });
  const withAnn = await api.contacts(me, ann);
  const { page } = await openApp({ user: me, language: 'zh-CN' });
  await page.setViewportSize({ width: 390, height: 800 });
  const shell = new ShellPage(page);
  await shell.openConversation(withAnn.id);
  const back = page.getByRole('button', { name: uiText('zh-CN').chat.back, exact: true });
  await back.click();
  await expect(shell.conversation(withAnn.id)).toBeFocused();
});

test('at 1000 px nothing changes: the list and the chat side by side, no Back button', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Wide' });
  const ann = await api.user({ displayName: 'Ann' });
  const withAnn = await api.contacts(me, ann);
  const { page } = await openApp({ user: me });
  await page.setViewportSize({ width: 1000, height: 800 });
  const shell = new ShellPage(page);
  const chat = new ChatPane(page);
  const list = page.getByRole('region', { name: uiText('en').conversations.title });
  await shell.openConversation(withAnn.id);
  await expect(chat.pane).toBeVisible();
  await expect(list).toBeVisible();
  const listBox = await box(list);
  const pane = await box(chat.pane);
  expect(listBox.width).toBeGreaterThan(200);
  expect(pane.x).toBeGreaterThanOrEqual(listBox.x + listBox.width - 1);
  await expect(shell.conversation(withAnn.id).getByTestId(TEST_IDS.conversationTitle)).toBeVisible();
  await expect(page.getByRole('button', { name: uiText('en').chat.back, exact: true })).toBeHidden();
});

/** Every control named lies wholly inside the window, left to right and top to bottom. */
async function expectInsideWindow(page: Page, controls: readonly Locator[]): Promise<void> {
  const window = page.viewportSize();
  if (window === null) throw new Error('no viewport');
  for (const control of controls) {
    await expect(control).toBeVisible();
    const { x, y, width, height } = await box(control);
    const where = `${control.toString()} at ${window.width} px: x ${x}, width ${width}`;
    expect(x, where).toBeGreaterThanOrEqual(0);
    expect(x + width, where).toBeLessThanOrEqual(window.width);
    expect(y, where).toBeGreaterThanOrEqual(0);
    expect(y + height, where).toBeLessThanOrEqual(window.height);
  }
}

// A dialog narrower than the window, whatever the window: at 390 px the blocked-link warning once
// cut off "Go back" and its ✕ while "open it" stayed on screen.
test('at 390 and 320 px every dialog fits the window: the blocked-link warning’s Go back and ✕, the share, new-group and confirm buttons', async ({ openApp, api, admin, stack }) => {
  const me = await api.user({ displayName: 'Narrow' });
  const ann = await api.user({ displayName: 'Ann' });
  const withAnn = await api.contacts(me, ann);
  const group = await api.group(me, [await api.user({ displayName: 'Bo' })], 'Narrow window club');
  const blockedHost = stack.takeShopHost();
  await admin.block(blockedHost, 'card-stealing login page');
  await api.send(ann, withAnn.id, `pay here: http://${blockedHost}/login`);
  const { page } = await openApp({ user: me });
  const shell = new ShellPage(page);
  const chat = new ChatPane(page);
  const interstitial = new Interstitial(page);
  const close = (dialog: Locator): Locator => dialog.getByTestId(TEST_IDS.dialogClose);
  const back = page.getByRole('button', { name: uiText('en').chat.back, exact: true });

  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 640 });
    await shell.openConversation(withAnn.id);
    const blocked = new MessageLinks(chat.messageContaining('pay here'));
    await blocked.openAnyway().click();
    await expectInsideWindow(page, [interstitial.back, close(interstitial.dialog), interstitial.open]);
    // Wrapped or not, the safe choice is never below the risky one.
    expect((await box(interstitial.back)).y).toBeLessThanOrEqual((await box(interstitial.open)).y);
    await expect(interstitial.back).toBeFocused();
    await interstitial.back.click();
    await expect(interstitial.dialog).toBeHidden();

    // Share, from the message's own action.
    await chat.messageContaining('pay here').hover();
    await chat.messageContaining('pay here').getByTestId(TEST_IDS.messageShare).click();
    const share = page.getByTestId(TEST_IDS.shareDialog);
    await expectInsideWindow(page, [share.getByTestId(TEST_IDS.shareSend), close(share)]);
    await close(share).click();
    await expect(share).toBeHidden();

    await page.getByTestId(TEST_IDS.railNewGroup).click();
    const newGroup = page.getByTestId(TEST_IDS.newGroupDialog);
    await expectInsideWindow(page, [newGroup.getByTestId(TEST_IDS.newGroupCreate), close(newGroup)]);
    await page.keyboard.press('Escape');
    await expect(newGroup).toBeHidden();

    await back.click();
    await shell.openConversation(group.id);
    const panel = new GroupPanel(page);
    await panel.open();
    await panel.panel.getByTestId(TEST_IDS.groupLeave).click();
    const confirm = page.getByTestId(TEST_IDS.confirmDialog);
    await expectInsideWindow(page, [confirm.getByTestId(TEST_IDS.confirmCancel), confirm.getByTestId(TEST_IDS.confirmAccept), close(confirm)]);
    await confirm.getByTestId(TEST_IDS.confirmCancel).click();
    await expect(confirm).toBeHidden();
    await page.getByTestId(TEST_IDS.groupPanelToggle).click();
    await back.click();
  }
});

test('a dialog taller than the window scrolls inside, its ✕ and buttons still on screen', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Short' });
  for (let i = 0; i < 12; i += 1) await api.contacts(me, await api.user({ displayName: `Friend ${i}` }));
  const { page } = await openApp({ user: me });
  await page.setViewportSize({ width: 320, height: 360 });
  await page.getByTestId(TEST_IDS.railNewGroup).click();
  const dialog = page.getByTestId(TEST_IDS.newGroupDialog);
  await expectInsideWindow(page, [dialog, dialog.getByTestId(TEST_IDS.newGroupCreate), dialog.getByTestId(TEST_IDS.dialogClose)]);
  const body = dialog.locator('.dialog-body');
  expect(await body.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
});

// At 390 px the contacts screen once cut every name to two letters ("Bo…") beside its Message and
// Remove buttons; now the buttons take a line of their own below the name when they must.
test('at 390 and 320 px the contacts screen shows whole names, with every button on screen', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Narrow' });
  const friend = await api.user({ displayName: 'Bob Builder' });
  const asker = await api.user({ displayName: 'Carla Requester' });
  const asked = await api.user({ displayName: 'Dana Addressee' });
  await api.contacts(me, friend);
  await call(await asker.socket(), 'contacts:request', { userId: me.user.id });
  await call(await me.socket(), 'contacts:request', { userId: asked.user.id });
  const { page } = await openApp({ user: me });
  const shell = new ShellPage(page);
  await shell.showContacts();
  const contacts = new ContactsPage(page);
  const rows = [contacts.contact(friend.user.id), contacts.incomingFrom(asker.user.id), contacts.outgoingTo(asked.user.id)];
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const row of rows) {
      const name = row.locator('.person-name');
      await expect(name).toBeVisible();
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth), `${await name.textContent()} at ${width} px`).toBe(true);
      await expectInsideWindow(page, await row.getByRole('button').all());
    }
  }
});
