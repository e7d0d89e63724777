import { TEST_IDS } from '../../../renderer/test-ids';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-CN';
import { test, expect } from '../fixtures/test';
import { ShellPage } from '../pages/shell-page';

test('switching to zh-CN changes the UI text and survives a reload', async ({ openApp, api }) => {
  const user = await api.user();
  const { page } = await openApp({ user, language: 'en' });
  const shell = new ShellPage(page);
  const contactsButton = page.getByTestId(TEST_IDS.railContacts);
  await expect(contactsButton).toHaveAccessibleName(en.rail.contacts);
  await expect(page.getByTestId(TEST_IDS.chatEmpty)).toContainText(en.chat.pickOne);

  await shell.setLanguage('zh-CN');
  await expect(contactsButton).toHaveAccessibleName(zhCN.rail.contacts);
  await expect(page.getByTestId(TEST_IDS.chatEmpty)).toContainText(zhCN.chat.pickOne);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.reload();
  await expect(contactsButton).toHaveAccessibleName(zhCN.rail.contacts);
  await expect(page.getByTestId(TEST_IDS.chatEmpty)).toContainText(zhCN.chat.pickOne);
  const menu = await shell.openSettings();
  await expect(menu.getByTestId(TEST_IDS.languageSwitch)).toHaveValue('zh-CN');
});
