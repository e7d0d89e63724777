/** The share dialog (`/share?url=…&text=…`, a message's Share) and a merchant's product share dialog. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

function pick(dialog: Locator, testId: string, conversationId: string): Locator {
  return dialog.locator(`[data-testid="${testId}"][data-conversation-id="${conversationId}"]`).getByRole('checkbox');
}

export class ShareDialog {
  readonly dialog: Locator;
  readonly text: Locator;
  readonly done: Locator;
  /** The footer's Close once sent (the header's ✕ is `dialog-close`). */
  readonly doneClose: Locator;
  readonly noConversations: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId(TEST_IDS.shareDialog);
    this.text = this.dialog.getByTestId(TEST_IDS.shareText);
    this.done = this.dialog.getByTestId(TEST_IDS.shareDone);
    this.doneClose = this.dialog.getByTestId(TEST_IDS.shareDoneClose);
    this.noConversations = this.dialog.getByTestId(TEST_IDS.shareNoConversations);
  }

  /** The checkbox of a conversation among the targets. */
  target(conversationId: string): Locator {
    return pick(this.dialog, TEST_IDS.shareTarget, conversationId);
  }

  async sendTo(conversationIds: readonly string[]): Promise<void> {
    for (const id of conversationIds) await this.target(id).check();
    await this.dialog.getByTestId(TEST_IDS.shareSend).click();
  }
}

export class ProductShareDialog {
  readonly dialog: Locator;
  readonly done: Locator;
  readonly doneClose: Locator;
  readonly error: Locator;
  /** Beside an error: how many chats the product did go to. */
  readonly partial: Locator;
  readonly noConversations: Locator;
  readonly send: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId(TEST_IDS.productShareDialog);
    this.partial = this.dialog.getByTestId(TEST_IDS.productSharePartial);
    this.send = this.dialog.getByTestId(TEST_IDS.productShareSend);
    this.done = this.dialog.getByTestId(TEST_IDS.productShareDone);
    this.doneClose = this.dialog.getByTestId(TEST_IDS.productShareDoneClose);
    this.error = this.dialog.getByTestId(TEST_IDS.productShareError);
    this.noConversations = this.dialog.getByTestId(TEST_IDS.productShareNoConversations);
  }

  /** The checkbox of a conversation among the targets. */
  target(conversationId: string): Locator {
    return pick(this.dialog, TEST_IDS.productShareTarget, conversationId);
  }

  /** Opens the dialog from the rail, fills the address and ticks the conversations. */
  async prepare(url: string, conversationIds: readonly string[]): Promise<void> {
    await this.page.getByTestId(TEST_IDS.railShareProduct).click();
    await this.dialog.getByTestId(TEST_IDS.productShareUrl).fill(url);
    for (const id of conversationIds) await this.target(id).check();
  }

  async share(url: string, conversationIds: readonly string[]): Promise<void> {
    await this.prepare(url, conversationIds);
    await this.send.click();
  }
}
