import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { displayNameOf, typingUsers, TYPING_VISIBLE_MS } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { TEST_IDS } from '../../test-ids';

export function TypingIndicator({ conversationId }: { conversationId: string }): ReactElement {
  const { t } = useTranslation();
  const typing = useChat((s) => s.typing[conversationId]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const current = Date.now();
    const future = Object.values(typing ?? {}).filter((expires) => expires > current);
    if (future.length === 0) return;
    // Re-render when the soonest indicator expires, so a stopped typist disappears on time.
    const wait = Math.min(Math.min(...future) - current, TYPING_VISIBLE_MS) + 20;
    const timer = window.setTimeout(() => setNow(Date.now()), wait);
    return () => window.clearTimeout(timer);
  }, [typing, now]);
  const names = useChat((s) => typingUsers(s, conversationId, now).map((id) => displayNameOf(s, id, conversationId) ?? t('chat.unknownUser')).join(t('system.listSeparator')));
  return (
    <div className="typing-indicator" aria-live="polite" data-testid={names === '' ? undefined : TEST_IDS.typingIndicator}>
      {names !== '' && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('chat.typing', { names, count: names.split(t('system.listSeparator')).length })}
        </>
      )}
    </div>
  );
}
