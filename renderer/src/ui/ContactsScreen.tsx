import { useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactRequest, User } from '../../../protocol';
import { LIMITS } from '../../../protocol/limits';
import { applyContactRequest, applyContactsUpdated, rememberUsers, upsertConversation } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { useConfirm } from './use-confirm';
import { openConversation } from './open-conversation';

export function ContactsScreen(): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const contactsById = useChat((s) => s.contacts);
  const incoming = useChat((s) => s.incoming);
  const outgoing = useChat((s) => s.outgoing);
  const presence = useChat((s) => s.presence);
  const contacts = useMemo(() => Object.values(contactsById).sort((a, b) => a.user.displayName.localeCompare(b.user.displayName)), [contactsById]);
  const [query, setQuery] = useState('');
  const [note, setNote] = useState('');
  const [results, setResults] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmation, confirm] = useConfirm();

  const fail = (code: string): void => setError(t(`errors.${code}`));

  const search = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const q = query.trim();
    if (q === '') return;
    setBusy(true);
    setError(null);
    const result = await client.request('users:search', { query: q.slice(0, LIMITS.searchQueryMax) });
    setBusy(false);
    if (result.ok) {
      setResults(result.value.users);
      updateChat((s) => rememberUsers(s, result.value.users));
    }
    else fail(result.code);
  };

  const requestContact = async (user: User): Promise<void> => {
    setError(null);
    const trimmed = note.trim();
    const result = await client.request('contacts:request', trimmed === '' ? { userId: user.id } : { userId: user.id, note: trimmed });
    if (!result.ok) return fail(result.code);
    setNote('');
    updateChat((s) => applyContactRequest(s, result.value.request));
    // A request crossing theirs is accepted at once; the contact list says so.
    if (result.value.request.status === 'accepted') {
      const list = await client.request('contacts:list', {});
      if (list.ok) updateChat((s) => ({ ...s, contacts: Object.fromEntries(list.value.contacts.map((c) => [c.user.id, c])), incoming: list.value.incoming, outgoing: list.value.outgoing }));
    }
  };

  const respond = async (request: ContactRequest, accept: boolean): Promise<void> => {
    setError(null);
    const result = await client.request('contacts:respond', { requestId: request.id, accept });
    if (!result.ok) return fail(result.code);
    const { contact, conversation } = result.value;
    updateChat((s) => {
      let next = applyContactsUpdated(s, contact === undefined ? { request: result.value.request } : { request: result.value.request, contact });
      if (conversation !== undefined) next = upsertConversation(next, conversation);
      return next;
    });
  };

  const remove = async (user: User): Promise<void> => {
    const result = await client.request('contacts:remove', { userId: user.id });
    if (!result.ok) return fail(result.code);
    updateChat((s) => applyContactsUpdated(s, { removedUserId: user.id }));
  };

  /** Takes back a request not yet answered (the server ends it as declined; both sides hear). */
  const cancelRequest = async (request: ContactRequest): Promise<void> => {
    setError(null);
    const result = await client.request('contacts:remove', { userId: request.to.id });
    if (!result.ok) return fail(result.code);
    updateChat((s) => applyContactRequest(s, { ...request, status: 'declined' }));
  };

  const message = async (user: User): Promise<void> => {
    const result = await client.request('conversations:openDirect', { userId: user.id });
    if (!result.ok) return fail(result.code);
    updateChat((s) => upsertConversation(s, result.value.conversation));
    openConversation(result.value.conversation.id);
  };

  const pendingTo = new Set(outgoing.map((r) => r.to.id));

  return (
    <section className="contacts-screen" aria-label={t('contacts.title')} data-testid={TEST_IDS.contactsScreen}>
      <div className="contacts-inner">
        <h1 className="screen-title">{t('contacts.title')}</h1>
        <form className="contacts-search" onSubmit={(e) => void search(e)} role="search">
          <div className="search-box large">
            <Icon name="search" size={18} />
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('contacts.search')} aria-label={t('contacts.search')} maxLength={LIMITS.searchQueryMax} data-testid={TEST_IDS.contactsSearch} />
          </div>
          <button type="submit" className="primary-button" disabled={busy || query.trim() === ''} data-testid={TEST_IDS.contactsSearchButton}>
            {t('contacts.searchButton')}
          </button>
        </form>
        {error !== null && (
          <p className="form-error" role="alert" data-testid={TEST_IDS.contactsError}>
            {error}
          </p>
        )}
        {results !== null && (
          <div className="card-section">
            <h2>{t('contacts.results')}</h2>
            {results.length > 0 && (
              <input
                type="text"
                className="request-note"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('contacts.note')}
                aria-label={t('contacts.note')}
                maxLength={LIMITS.contactNoteMax}
                data-testid={TEST_IDS.contactsRequestNote}
              />
            )}
            {results.length === 0 ? (
              <p className="muted" data-testid={TEST_IDS.contactsSearchEmpty}>
                {t('contacts.noResults')}
              </p>
            ) : (
              <ul className="people-list">
                {results.map((user) => {
                  const isContact = contactsById[user.id] !== undefined;
                  const requested = pendingTo.has(user.id);
                  return (
                    <li key={user.id} className="person" data-testid={TEST_IDS.contactsSearchResult} data-user-id={user.id}>
                      <Avatar id={user.id} name={user.displayName} size={40} />
                      <span className="person-names">
                        <span className="person-name">{user.displayName}</span>
                        <span className="person-username">@{user.username}</span>
                      </span>
                      <span className="person-actions">
                        {isContact ? (
                          <span className="pill" data-testid={TEST_IDS.contactsAlreadyContact}>
                            {t('contacts.alreadyContact')}
                          </span>
                        ) : (
                          <button type="button" className="secondary-button" disabled={requested} onClick={() => void requestContact(user)} aria-label={t('contacts.addName', { name: user.displayName })} data-testid={TEST_IDS.contactsRequestButton}>
                            {requested ? t('contacts.requested') : t('contacts.add')}
                          </button>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
        {incoming.length > 0 && (
          <div className="card-section">
            <h2>{t('contacts.incoming')}</h2>
            <ul className="people-list">
              {incoming.map((request) => (
                <li key={request.id} className="person" data-testid={TEST_IDS.incomingRequest} data-request-id={request.id} data-user-id={request.from.id}>
                  <Avatar id={request.from.id} name={request.from.displayName} size={40} />
                  <span className="person-names">
                    <span className="person-name">{request.from.displayName}</span>
                    <span className="person-username">@{request.from.username}</span>
                    {request.note !== undefined && <span className="request-note-text">{request.note}</span>}
                  </span>
                  <span className="person-actions">
                    <button type="button" className="primary-button small" onClick={() => void respond(request, true)} aria-label={t('contacts.acceptFor', { name: request.from.displayName })} data-testid={TEST_IDS.requestAccept}>
                      {t('contacts.accept')}
                    </button>
                    <button type="button" className="secondary-button small" onClick={() => void respond(request, false)} aria-label={t('contacts.declineFor', { name: request.from.displayName })} data-testid={TEST_IDS.requestDecline}>
                      {t('contacts.decline')}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {outgoing.length > 0 && (
          <div className="card-section">
            <h2>{t('contacts.outgoing')}</h2>
            <ul className="people-list">
              {outgoing.map((request) => (
                <li key={request.id} className="person" data-testid={TEST_IDS.outgoingRequest} data-request-id={request.id} data-user-id={request.to.id}>
                  <Avatar id={request.to.id} name={request.to.displayName} size={40} />
                  <span className="person-names">
                    <span className="person-name">{request.to.displayName}</span>
                    <span className="person-username">@{request.to.username}</span>
                  </span>
                  <span className="person-actions">
                    <span className="pill" data-testid={TEST_IDS.outgoingRequestWaiting}>
                      {t('contacts.waiting')}
                    </span>
                    <button type="button" className="secondary-button small" onClick={() => void cancelRequest(request)} aria-label={t('contacts.cancelFor', { name: request.to.displayName })} data-testid={TEST_IDS.outgoingRequestCancel}>
                      {t('contacts.cancel')}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="card-section">
          <h2>{t('contacts.list')}</h2>
          {contacts.length === 0 ? (
            <p className="muted" data-testid={TEST_IDS.contactsEmpty}>
              {t('contacts.none')}
            </p>
          ) : (
            <ul className="people-list">
              {contacts.map(({ user }) => (
                <li key={user.id} className="person" data-testid={TEST_IDS.contactItem} data-user-id={user.id} data-online={presence[user.id] ? 'true' : 'false'}>
                  <Avatar id={user.id} name={user.displayName} size={40} online={presence[user.id] ?? false} />
                  <span className="person-names">
                    <span className="person-name">{user.displayName}</span>
                    <span className="person-username">@{user.username}</span>
                  </span>
                  <span className="person-actions">
                    <button type="button" className="primary-button small" onClick={() => void message(user)} aria-label={t('contacts.messageTo', { name: user.displayName })} data-testid={TEST_IDS.contactMessage}>
                      {t('contacts.message')}
                    </button>
                    <button type="button" className="secondary-button small" onClick={() => confirm(t('contacts.confirmRemove', { name: user.displayName }), t('contacts.remove'), () => void remove(user))} aria-label={t('contacts.removeName', { name: user.displayName })} data-testid={TEST_IDS.contactRemove}>
                      {t('contacts.remove')}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {confirmation}
    </section>
  );
}
