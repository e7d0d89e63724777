/**
 * A user's merchant badge changed (linked by an admin, suspended, renamed, verified again): the
 * user's own devices hear `me:updated` (an addition: the web client shows or hides its product
 * share action at once, instead of at the next start), and contacts `contacts:updated` with the
 * badge they show beside the name.
 */
import type { ChatDeps } from './chat-deps';
import { contactView } from './views';

export function announceMerchant(deps: Pick<ChatDeps, 'store' | 'fanout' | 'presence'>, userId: string): void {
  const { store, fanout, presence } = deps;
  const user = store.userById(userId);
  if (user === undefined) return;
  fanout.toUsers([userId], 'me:updated', { user });
  for (const contactId of store.contactIdsOf(userId)) {
    const since = store.contactSince(contactId, userId);
    if (since !== undefined) fanout.toUsers([contactId], 'contacts:updated', { contact: contactView(user, since, presence) });
  }
}
