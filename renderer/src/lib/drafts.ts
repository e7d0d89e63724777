/**
 * Unsent text of each conversation, kept while the signed-in session lasts. The session (its
 * client) is the key, so a draft never shows to another account signed in later in the same
 * window, and it goes with the session at sign-out. A reload forgets drafts: they are not saved.
 */
const drafts = new WeakMap<object, Map<string, string>>();

export function loadDraft(session: object, conversationId: string): string {
  return drafts.get(session)?.get(conversationId) ?? '';
}

/** An empty text removes the draft. */
export function saveDraft(session: object, conversationId: string, text: string): void {
  let mine = drafts.get(session);
  if (text === '') {
    mine?.delete(conversationId);
    return;
  }
  if (mine === undefined) {
    mine = new Map();
    drafts.set(session, mine);
  }
  mine.set(conversationId, text);
}
