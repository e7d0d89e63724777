import { TEST_IDS } from '../../../renderer/test-ids';
import { en } from '../../../renderer/src/i18n/en';
import { uniqueUsername } from '../fixtures/chat-api';
import { test, expect } from '../fixtures/test';
import { AuthPage } from '../pages/auth-page';
import { ShellPage } from '../pages/shell-page';

test('registers, signs out and signs in again', async ({ openApp }) => {
  const { page } = await openApp();
  const auth = new AuthPage(page);
  const username = uniqueUsername();
  await auth.register(username, 'Lin Mei 林梅', 'tea-and-silk-1');
  const shell = new ShellPage(page);
  await expect(shell.rail).toBeVisible();
  await expect(page.getByTestId(TEST_IDS.currentUser)).toHaveAttribute('title', /Lin Mei 林梅/);

  await shell.signOut();
  await expect(auth.screen).toBeVisible();
  await auth.signIn(username, 'tea-and-silk-1');
  await expect(shell.rail).toBeVisible();
});

test('a wrong password is refused with a message in words', async ({ openApp, api }) => {
  const user = await api.user();
  const { page } = await openApp();
  const auth = new AuthPage(page);
  // The sign-in screen opens ready to type the username.
  await expect(auth.username).toBeFocused();
  await auth.signIn(user.user.username, `${user.password}-wrong`);
  await expect(auth.error).toHaveText(en.errors.invalid_credentials);
  await expect(new ShellPage(page).rail).toBeHidden();
  // The focus comes back to the form, on the password to type again, and that field says what is wrong.
  await expect(auth.password).toBeFocused();
  await expect(auth.password).toHaveAttribute('aria-invalid', 'true');
  await expect(auth.password).toHaveAccessibleDescription(en.errors.invalid_credentials);
});
