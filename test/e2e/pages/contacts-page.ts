/** The contacts screen: search, requests both ways, the contact list. */
import type { Locator, Page } from '@playwright/test';
import { TEST_IDS } from '../../../renderer/test-ids';

export class ContactsPage {
  readonly screen: Locator;
  readonly search: Locator;
  readonly searchButton: Locator;
  readonly results: Locator;
  readonly noResults: Locator;
  readonly incoming: Locator;
  readonly outgoing: Locator;
  readonly contacts: Locator;
  /** "No contacts yet", in place of the contact list. */
  readonly noContacts: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId(TEST_IDS.contactsScreen);
    this.search = page.getByTestId(TEST_IDS.contactsSearch);
    this.searchButton = page.getByTestId(TEST_IDS.contactsSearchButton);
    this.results = page.getByTestId(TEST_IDS.contactsSearchResult);
    this.noResults = page.getByTestId(TEST_IDS.contactsSearchEmpty);
    this.incoming = page.getByTestId(TEST_IDS.incomingRequest);
    this.outgoing = page.getByTestId(TEST_IDS.outgoingRequest);
    this.contacts = page.getByTestId(TEST_IDS.contactItem);
    this.noContacts = page.getByTestId(TEST_IDS.contactsEmpty);
  }

  private byUser(list: Locator, userId: string): Locator {
    return list.and(this.page.locator(`[data-user-id="${userId}"]`));
  }

  result(userId: string): Locator {
    return this.byUser(this.results, userId);
  }

  /** The "Contact" label a search result shows instead of the request button when you are contacts already. */
  alreadyContact(userId: string): Locator {
    return this.result(userId).getByTestId(TEST_IDS.contactsAlreadyContact);
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
