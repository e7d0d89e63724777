/** What a message shows for its links: inline links, preview cards, product cards, warnings, the interstitial. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export type LinkState = 'pending' | 'verified' | 'unverified' | 'blocked';

export class MessageLinks {
  readonly inlineLinks: Locator;
  readonly previews: Locator;
  readonly unverifiedMarks: Locator;
  readonly checkingMarks: Locator;
  readonly productCards: Locator;

  constructor(readonly row: Locator) {
    this.inlineLinks = row.getByTestId(TEST_IDS.messageLink);
    this.previews = row.getByTestId(TEST_IDS.linkPreview);
    this.unverifiedMarks = row.getByTestId(TEST_IDS.linkUnverified);
    this.checkingMarks = row.getByTestId(TEST_IDS.linkChecking);
    this.productCards = row.getByTestId(TEST_IDS.productCard);
  }

  inline(state: LinkState): Locator {
    return this.inlineLinks.and(this.row.locator(`[data-state="${state}"]`));
  }

  preview(state: 'verified' | 'blocked'): Locator {
    return this.previews.and(this.row.locator(`[data-state="${state}"]`));
  }

  badge(): Locator {
    return this.row.getByTestId(TEST_IDS.verifiedMerchantBadge);
  }

  price(): Locator {
    return this.row.getByTestId(TEST_IDS.productPrice);
  }

  /** The clickable body of a verified preview without a product (a product's is productOpen()). */
  previewOpen(): Locator {
    return this.row.getByTestId(TEST_IDS.linkPreviewOpen);
  }

  productOpen(): Locator {
    return this.row.getByTestId(TEST_IDS.productCardOpen);
  }

  warning(): Locator {
    return this.row.getByTestId(TEST_IDS.blockedWarning);
  }

  /** The blocked URL as the warning spells it out. */
  blockedUrl(): Locator {
    return this.row.getByTestId(TEST_IDS.blockedUrl);
  }

  openAnyway(): Locator {
    return this.row.getByTestId(TEST_IDS.blockedOpenAnyway);
  }
}

export class Interstitial {
  readonly dialog: Locator;
  readonly reason: Locator;
  readonly url: Locator;
  readonly back: Locator;
  readonly open: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId(TEST_IDS.interstitial);
    this.reason = this.dialog.getByTestId(TEST_IDS.interstitialReason);
    this.url = this.dialog.getByTestId(TEST_IDS.interstitialUrl);
    this.back = this.dialog.getByTestId(TEST_IDS.interstitialBack);
    this.open = this.dialog.getByTestId(TEST_IDS.interstitialOpen);
  }
}
