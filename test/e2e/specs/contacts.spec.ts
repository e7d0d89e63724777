import { TEST_IDS } from '../../../renderer/test-ids';
import { en } from '../../../renderer/src/i18n/en';
import { test, expect } from '../fixtures/test';
import { counted } from '../fixtures/ui-text';
import { ContactsPage } from '../pages/contacts-page';
import { ShellPage } from '../pages/shell-page';

test('finds a user, sends a contact request with a note, and the other accepts it', async ({ openApp, api }) => {
  const asker = await api.user({ displayName: 'Asker' });
  const answerer = await api.user({ displayName: 'Answerer' });
  const askerApp = await openApp({ user: asker });
  const answererApp = await openApp({ user: answerer });

  const askerShell = new ShellPage(askerApp.page);
  await askerShell.showContacts();
  const askerContacts = new ContactsPage(askerApp.page);
  await askerContacts.find(answerer.user.username);
  const result = askerContacts.result(answerer.user.id);
  await expect(result).toContainText(answerer.user.displayName);
  const requestButton = result.getByTestId(TEST_IDS.contactsRequestButton);
  await expect(requestButton).toHaveAccessibleName(new RegExp(answerer.user.displayName));
  const note = '<b>我们在展会上见过</b>';
  await askerApp.page.getByTestId(TEST_IDS.contactsRequestNote).fill(note);
  await requestButton.click();
  await expect(requestButton).toBeDisabled();
  await expect(askerContacts.outgoingTo(answerer.user.id)).toBeVisible();

  const answererShell = new ShellPage(answererApp.page);
  // The rail counts the waiting request, and says so to a screen reader too.
  await expect(answererShell.requestCount).toHaveText('1');
  await expect(answererApp.page.getByTestId(TEST_IDS.railContacts)).toHaveAccessibleName(`${en.rail.contacts}, ${counted(en.rail, 'requests', 1)}`);
  await answererShell.showContacts();
  const answererContacts = new ContactsPage(answererApp.page);
  const request = answererContacts.incomingFrom(asker.user.id);
  await expect(request).toContainText(asker.user.displayName);
  // The note arrives with the request, as text beside the asker's username.
  await expect(request).toContainText(note);
  await expect(request).toContainText(`@${asker.user.username}`);
  await expect(request.locator('b')).toHaveCount(0);
  await request.getByTestId(TEST_IDS.requestAccept).click();

  await expect(answererContacts.contact(asker.user.id)).toBeVisible();
  await expect(answererContacts.incoming).toHaveCount(0);
  // The asker learns of it live: the request leaves, the contact appears, and so does the chat.
  await expect(askerContacts.contact(answerer.user.id)).toBeVisible();
  await expect(askerContacts.outgoing).toHaveCount(0);
  await expect(askerContacts.alreadyContact(answerer.user.id)).toBeVisible();
  await expect(answererShell.requestCount).toBeHidden();
  await askerShell.showChats();
  await expect(askerShell.conversations.filter({ hasText: answerer.user.displayName })).toHaveCount(1);
});

test('takes back a contact request sent by mistake: it leaves both screens and the rail count', async ({ openApp, api }) => {
  const asker = await api.user({ displayName: 'Hasty Asker' });
  const other = await api.user({ displayName: 'Wrong Person' });
  const askerApp = await openApp({ user: asker });
  const otherApp = await openApp({ user: other });
  const askerShell = new ShellPage(askerApp.page);
  await askerShell.showContacts();
  const askerContacts = new ContactsPage(askerApp.page);
  await askerContacts.find(other.user.username);
  await askerContacts.result(other.user.id).getByTestId(TEST_IDS.contactsRequestButton).click();
  const otherShell = new ShellPage(otherApp.page);
  await expect(otherShell.requestCount).toHaveText('1');
  await otherShell.showContacts();
  const otherContacts = new ContactsPage(otherApp.page);
  await expect(otherContacts.incomingFrom(asker.user.id)).toBeVisible();

  const cancel = askerContacts.outgoingTo(other.user.id).getByTestId(TEST_IDS.outgoingRequestCancel);
  await expect(cancel).toHaveAccessibleName(new RegExp(other.user.displayName));
  await cancel.click();
  await expect(askerContacts.outgoing).toHaveCount(0);
  // The search result offers the request again.
  await expect(askerContacts.result(other.user.id).getByTestId(TEST_IDS.contactsRequestButton)).toBeEnabled();
  // The addressee hears of it live: the request leaves, and so does the rail's count.
  await expect(otherContacts.incoming).toHaveCount(0);
  await expect(otherShell.requestCount).toBeHidden();
  await expect(otherContacts.noContacts).toBeVisible();
});
