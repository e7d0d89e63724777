/** The sign-in / register screen. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export class AuthPage {
  readonly screen: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly displayName: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId(TEST_IDS.authScreen);
    this.username = page.getByTestId(TEST_IDS.authUsername);
    this.password = page.getByTestId(TEST_IDS.authPassword);
    this.displayName = page.getByTestId(TEST_IDS.authDisplayName);
    this.submit = page.getByTestId(TEST_IDS.authSubmit);
    this.error = page.getByTestId(TEST_IDS.authError);
  }

  async register(username: string, displayName: string, password: string): Promise<void> {
    await this.page.getByTestId(TEST_IDS.authTabRegister).click();
    await this.username.fill(username);
    await this.displayName.fill(displayName);
    await this.password.fill(password);
    await this.submit.click();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByTestId(TEST_IDS.authTabSignIn).click();
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
