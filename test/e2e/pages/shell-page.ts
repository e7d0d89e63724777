/** The signed-in window: the rail, the settings menu, the conversation list and the connection banner. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';
import type { Language } from '../fixtures/app-launcher';

export class ShellPage {
  readonly rail: Locator;
  /** The rail once connected with the conversation and contact lists loaded: `await expect(shell.online).toBeVisible()`. */
  readonly online: Locator;
  readonly totalUnread: Locator;
  /** The number of contact requests waiting for you, on the rail. */
  readonly requestCount: Locator;
  readonly connectionBanner: Locator;
  readonly conversations: Locator;
  readonly filter: Locator;
  /** "No chats match": the filter hides every conversation (then there is no conversation-list). */
  readonly noMatch: Locator;

  constructor(readonly page: Page) {
    this.rail = page.getByTestId(TEST_IDS.rail);
    this.online = this.rail.and(page.locator('[data-connection="online"]'));
    this.totalUnread = page.getByTestId(TEST_IDS.totalUnread);
    this.requestCount = page.getByTestId(TEST_IDS.railRequestCount);
    this.connectionBanner = page.getByTestId(TEST_IDS.connectionBanner);
    this.conversations = page.getByTestId(TEST_IDS.conversationItem);
    this.filter = page.getByTestId(TEST_IDS.conversationFilter);
    this.noMatch = page.getByTestId(TEST_IDS.conversationsNoMatch);
  }

  conversation(id: string): Locator {
    return this.page.locator(`[data-testid="${TEST_IDS.conversationItem}"][data-conversation-id="${id}"]`);
  }

  conversationUnread(id: string): Locator {
    return this.conversation(id).getByTestId(TEST_IDS.unreadBadge);
  }

  async showChats(): Promise<void> {
    await this.page.getByTestId(TEST_IDS.railChats).click();
  }

  async openConversation(id: string): Promise<void> {
    await this.showChats();
    await this.conversation(id).click();
  }

  async showContacts(): Promise<void> {
    await this.page.getByTestId(TEST_IDS.railContacts).click();
  }

  async openSettings(): Promise<Locator> {
    const menu = this.page.getByTestId(TEST_IDS.settingsMenu);
    if (!(await menu.isVisible())) await this.page.getByTestId(TEST_IDS.railSettings).click();
    return menu;
  }

  async setLanguage(language: Language): Promise<void> {
    const menu = await this.openSettings();
    await menu.getByTestId(TEST_IDS.languageSwitch).selectOption(language);
  }

  async signOut(): Promise<void> {
    const menu = await this.openSettings();
    await menu.getByTestId(TEST_IDS.signOut).click();
  }
}
