/** The contacts screen: search, requests both ways, the contact list. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export class ContactsPage {
  readonly screen: Locator;
  readonly search: Locator;
  readonly results: Locator;
  readonly incoming: Locator;
  readonly outgoing: Locator;
  readonly contacts: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId(TEST_IDS.contactsScreen);
    this.search = page.getByTestId(TEST_IDS.contactsSearch);
    this.results = page.getByTestId(TEST_IDS.contactsSearchResult);
    this.incoming = page.getByTestId(TEST_IDS.incomingRequest);
    this.outgoing = page.getByTestId(TEST_IDS.outgoingRequest);
    this.contacts = page.getByTestId(TEST_IDS.contactItem);
  }

  private byUser(list: Locator, userId: string): Locator {
    return list.and(this.page.locator(`[data-user-id="${userId}"]`));
  }

  result(userId: string): Locator {
    return this.byUser(this.results, userId);
  }

  incomingFrom(userId: string): Locator {
    return this.byUser(this.incoming, userId);
  }

  outgoingTo(userId: string): Locator {
    return this.byUser(this.outgoing, userId);
  }

  contact(userId: string): Locator {
    return this.byUser(this.contacts, userId);
  }

  async find(query: string): Promise<void> {
    await this.search.fill(query);
    await this.search.press('Enter');
  }
}
