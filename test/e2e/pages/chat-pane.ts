/** The open conversation: header, message list, typing indicator and composer. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export class ChatPane {
  readonly pane: Locator;
  readonly title: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly input: Locator;
  readonly sendButton: Locator;
  readonly typing: Locator;
  readonly historyStart: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByTestId(TEST_IDS.chatPane);
    this.title = page.getByTestId(TEST_IDS.chatTitle);
    this.list = page.getByTestId(TEST_IDS.messageList);
    this.rows = this.list.getByTestId(TEST_IDS.messageRow);
    this.input = page.getByTestId(TEST_IDS.composerInput);
    this.sendButton = page.getByTestId(TEST_IDS.sendButton);
    this.typing = page.getByTestId(TEST_IDS.typingIndicator);
    this.historyStart = page.getByTestId(TEST_IDS.historyStart);
  }

  /** The message rows whose text is exactly `text` (pending, sent or failed). */
  message(text: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId(TEST_IDS.messageText).getByText(text, { exact: true }) });
  }

  /** The row of a message containing `text` (for messages with links, whose text is split). */
  messageContaining(text: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId(TEST_IDS.messageText).filter({ hasText: text }) });
  }

  systemMessages(): Locator {
    return this.list.getByTestId(TEST_IDS.systemMessage);
  }

  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.input.press('Enter');
  }
}
