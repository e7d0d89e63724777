import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { totalUnread } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { closeConversation } from './open-conversation';
import { SettingsControls } from './SettingsControls';

/** The narrow layout's media query (styles.css): one pane at a time. */
const ONE_PANE = '(max-width: 600px)';

export function Rail({ onSignOut }: { onSignOut: () => void }): ReactElement {
  const { t } = useTranslation();
  const me = useChat((s) => s.me);
  const unread = useChat(totalUnread);
  const requests = useChat((s) => s.incoming.length);
  const connection = useChat((s) => s.connection);
  const view = useUi((s) => s.view);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const gear = useRef<HTMLButtonElement>(null);
  const isMerchant = me?.merchant?.verified === true;

  // One-pane windows show the list or the chat: Chats, pressed again over an open chat, goes back to the list.
  const onChats = (): void => {
    if (view === 'chats' && useChat.getState().activeConversationId !== null && window.matchMedia?.(ONE_PANE).matches === true) {
      closeConversation();
      return;
    }
    useUi.setState({ view: 'chats' });
  };

  useEffect(() => {
    if (!settingsOpen) return;
    const onDown = (event: MouseEvent): void => {
      if (menu.current && event.target instanceof Node && !menu.current.contains(event.target)) setSettingsOpen(false);
    };
    // On the document: right after the gear opened it, focus is still on the gear, outside the menu.
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setSettingsOpen(false);
      gear.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [settingsOpen]);

  return (
    <nav className="rail" aria-label={t('rail.navigation')} data-testid={TEST_IDS.rail} data-connection={connection}>
      {me !== null && (
        <div className="rail-me" data-testid={TEST_IDS.currentUser} title={t('settings.signedInAs', { name: me.displayName })}>
          <Avatar id={me.id} name={me.displayName} size={38} />
        </div>
      )}
      {/* The button's name carries the counts: a badge inside a named button is never read out. */}
      <button
        type="button"
        className={`rail-button${view === 'chats' ? ' is-active' : ''}`}
        aria-label={unread > 0 ? `${t('rail.chats')}, ${t('conversations.unread', { count: unread })}` : t('rail.chats')}
        aria-current={view === 'chats' ? 'page' : undefined}
        title={t('rail.chats')}
        onClick={onChats}
        data-testid={TEST_IDS.railChats}
      >
        <Icon name="chat" size={22} />
        {unread > 0 && (
          <span className="rail-badge" aria-hidden="true" data-testid={TEST_IDS.totalUnread}>
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <button
        type="button"
        className={`rail-button${view === 'contacts' ? ' is-active' : ''}`}
        aria-label={requests > 0 ? `${t('rail.contacts')}, ${t('rail.requests', { count: requests })}` : t('rail.contacts')}
        aria-current={view === 'contacts' ? 'page' : undefined}
        title={t('rail.contacts')}
        onClick={() => useUi.setState({ view: 'contacts' })}
        data-testid={TEST_IDS.railContacts}
      >
        <Icon name="contacts" size={22} />
        {requests > 0 && (
          <span className="rail-badge" aria-hidden="true" data-testid={TEST_IDS.railRequestCount}>
            {requests}
          </span>
        )}
      </button>
      <button type="button" className="rail-button" aria-label={t('rail.newGroup')} title={t('rail.newGroup')} onClick={() => useUi.setState({ newGroupOpen: true })} data-testid={TEST_IDS.railNewGroup}>
        <Icon name="group" size={22} />
      </button>
      {isMerchant && (
        <button type="button" className="rail-button" aria-label={t('rail.shareProduct')} title={t('rail.shareProduct')} onClick={() => useUi.setState({ productShareOpen: true })} data-testid={TEST_IDS.railShareProduct}>
          <Icon name="product" size={22} />
        </button>
      )}
      <div className="rail-spacer" />
      <div className="rail-settings" ref={menu}>
        <button ref={gear} type="button" className={`rail-button${settingsOpen ? ' is-active' : ''}`} aria-label={t('rail.settings')} title={t('rail.settings')} aria-haspopup="true" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((open) => !open)} data-testid={TEST_IDS.railSettings}>
          <Icon name="settings" size={22} />
        </button>
        {settingsOpen && (
          <div className="settings-menu" role="group" aria-label={t('settings.title')} data-testid={TEST_IDS.settingsMenu}>
            {me !== null && <p className="settings-who">{t('settings.signedInAs', { name: me.displayName })}</p>}
            <SettingsControls />
            <button type="button" className="danger-link" onClick={onSignOut} data-testid={TEST_IDS.signOut}>
              {t('settings.signOut')}
            </button>
          </div>
        )}
      </div>
    </nav>
  );
}
