import { TEST_IDS } from '../../../renderer/test-ids';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { ContactsPage } from '../pages/contacts-page';
import { ShellPage } from '../pages/shell-page';

test('opening a chat by click, by Enter or by "Message" puts the focus in its message box', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Keys' });
  const ann = await api.user({ displayName: 'Ann' });
  const bo = await api.user({ displayName: 'Bo' });
  const withAnn = await api.contacts(me, ann);
  const withBo = await api.contacts(me, bo);
  const { page } = await openApp({ user: me });
  const shell = new ShellPage(page);
  const chat = new ChatPane(page);
  await expect(shell.online).toBeVisible();

  await shell.conversation(withAnn.id).click();
  await expect(chat.pane).toHaveAttribute('data-conversation-id', withAnn.id);
  await expect(chat.input).toBeFocused();

  await shell.conversation(withBo.id).focus();
  await page.keyboard.press('Enter');
  await expect(chat.pane).toHaveAttribute('data-conversation-id', withBo.id);
  await expect(chat.input).toBeFocused();
  await page.keyboard.type('typed straight away');
  await expect(chat.input).toHaveValue('typed straight away');

  await shell.showContacts();
  await new ContactsPage(page).contact(ann.user.id).getByTestId(TEST_IDS.contactMessage).click();
  await expect(chat.pane).toHaveAttribute('data-conversation-id', withAnn.id);
  await expect(chat.input).toBeFocused();
});

test('every Share button names the message it shares', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Keys' });
  const ann = await api.user({ displayName: 'Ann' });
  const conversation = await api.contacts(me, ann);
  await api.send(ann, conversation.id, 'first words from Ann');
  await api.send(me, conversation.id, 'and mine');
  const { page } = await openApp({ user: me });
  await new ShellPage(page).openConversation(conversation.id);
  const chat = new ChatPane(page);
  await expect(chat.message('first words from Ann').getByRole('button', { name: `Share message from ${ann.user.displayName}: first words from Ann` })).toBeVisible();
  await expect(chat.message('and mine').getByRole('button', { name: 'Share your message: and mine' })).toBeVisible();
});

test('the settings menu closes on Escape right after the gear opened it', async ({ openApp, api }) => {
  const me = await api.user();
  const { page } = await openApp({ user: me });
  await expect(new ShellPage(page).online).toBeVisible();
  const gear = page.getByTestId(TEST_IDS.railSettings);
  await gear.click();
  await expect(page.getByTestId(TEST_IDS.settingsMenu)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId(TEST_IDS.settingsMenu)).toBeHidden();
  await expect(gear).toBeFocused();
});
