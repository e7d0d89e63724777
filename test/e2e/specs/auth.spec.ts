import type { Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import { en } from '../../../renderer/src/i18n/en';
import { uniqueUsername } from '../fixtures/chat-api';
import { test, expect } from '../fixtures/test';
import { counted } from '../fixtures/ui-text';
import { ChatPane } from '../pages/chat-pane';
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

test("a username locked out by someone else's wrong passwords still signs in on a device that signed in before", async ({ openApp, stack }) => {
  const { page } = await openApp();
  const auth = new AuthPage(page);
  const username = uniqueUsername();
  await auth.register(username, 'Kept Device', 'tea-and-silk-2');
  const shell = new ShellPage(page);
  await expect(shell.rail).toBeVisible();
  await shell.signOut();
  await expect(auth.screen).toBeVisible();

  // Someone else tries wrong passwords until the username is locked (10 failures by default).
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++) {
    const response = await fetch(`${stack.baseUrl}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: 'not-the-password' }) });
    status = response.status;
  }
  expect(status).toBe(429);

  // A new device is refused with the right password, in words.
  const stranger = await openApp();
  const elsewhere = new AuthPage(stranger.page);
  await elsewhere.signIn(username, 'tea-and-silk-2');
  await expect(elsewhere.error).toHaveText(en.errors.rate_limited);

  // The device that signed in before carries its key, and is let in.
  await auth.signIn(username, 'tea-and-silk-2');
  await expect(shell.rail).toBeVisible();
});

/** What GET /api/v1/me answers to a bearer token: 200 while the session lives, 401 once it ended. */
async function meStatus(baseUrl: string, token: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}

const revocationList = (page: Page): Promise<{ serverUrl: string; token: string }[]> =>
  page.evaluate(() => JSON.parse(localStorage.getItem('wanglai.revoke') ?? '[]') as { serverUrl: string; token: string }[]);

test('signing out offline ends the session on the server once it is reachable again', async ({ openApp, api, stack }) => {
  const me = await api.user({ displayName: 'Leaving' });
  const app = await openApp({ user: me });
  const { page } = app;
  const shell = new ShellPage(page);
  await expect(shell.online).toBeVisible();

  await app.setOffline(true);
  await expect(shell.connectionBanner).toBeVisible({ timeout: 30_000 });
  await shell.signOut();
  const auth = new AuthPage(page);
  await expect(auth.screen).toBeVisible();
  await expect(page.getByTestId(TEST_IDS.signOutRevokeLater)).toHaveText(en.auth.revokeLater);
  // The session is gone from the device; only the token to revoke stays, apart from it.
  const keys = await page.evaluate(() => Object.keys(localStorage));
  expect(keys.filter((key) => key === 'wanglai.session' || key === 'wanglai.user')).toEqual([]);
  const waiting = await revocationList(page);
  expect(waiting).toHaveLength(1);
  const token = waiting[0]?.token ?? '';
  if (app.kind === 'web') expect(token).toBe(me.token);
  // The server never heard of the sign-out: the session still answers.
  expect(await meStatus(stack.baseUrl, token)).toBe(200);

  await app.setOffline(false);
  await expect.poll(() => meStatus(stack.baseUrl, token), { timeout: 20_000 }).toBe(401);
  await expect.poll(() => revocationList(page)).toEqual([]);
  await expect(auth.screen).toBeVisible();
});

test('signing out with unsent messages asks first, and then deletes them from the device', async ({ openApp, api }) => {
  const me = await api.user({ displayName: 'Leaving' });
  const ann = await api.user({ displayName: 'Ann' });
  const withAnn = await api.contacts(me, ann);
  const app = await openApp({ user: me });
  const { page } = app;
  const shell = new ShellPage(page);
  const chat = new ChatPane(page);
  await shell.openConversation(withAnn.id);
  await expect(shell.online).toBeVisible();

  await app.setOffline(true);
  await expect(shell.connectionBanner).toBeVisible({ timeout: 30_000 });
  await chat.send('written on the train');
  await expect(chat.message('written on the train')).toHaveAttribute('data-state', 'pending');
  const outboxKeys = (): Promise<string[]> => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('wanglai.outbox.')));
  expect(await outboxKeys()).toHaveLength(1);

  // Cancelling keeps everything as it was.
  await shell.signOut();
  const confirm = page.getByTestId(TEST_IDS.confirmDialog);
  await expect(confirm).toContainText(counted(en.settings, 'signOutUnsent', 1));
  await confirm.getByTestId(TEST_IDS.confirmCancel).click();
  await expect(shell.rail).toBeVisible();
  await expect(chat.message('written on the train')).toHaveAttribute('data-state', 'pending');

  await shell.signOut();
  await confirm.getByTestId(TEST_IDS.confirmAccept).click();
  await expect(new AuthPage(page).screen).toBeVisible();
  expect(await outboxKeys()).toEqual([]);
});
