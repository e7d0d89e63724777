import { useMemo, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { discardPending, unsendableMessages, type PendingMessage } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import { tJoined } from '../lib/cjk-spacing';
import { excerpt } from '../lib/excerpt';
import { TEST_IDS } from '../../test-ids';

/** How much of the text the buttons' accessible names read out, as the Share buttons of messages do. */
const NAME_CHARS = 40;

/**
 * Messages that can no longer be sent because the user stopped being a member of their
 * conversation (removed, or left, while they waited in the outbox). Their chat is gone from the
 * list, so no pane can show them: this notice, above the columns like the connection banner, is
 * seen in every view and at every window width, and keeps each text readable and selectable until
 * the user discards it. Retry is not offered (the server would refuse it); Share sends the text
 * to chats the user still has.
 */
export function UnsentNotice(): ReactElement | null {
  const { t } = useTranslation();
  const outbox = useChat((s) => s.outbox);
  const conversations = useChat((s) => s.conversations);
  const unsendable = useMemo(() => unsendableMessages(outbox, conversations), [outbox, conversations]);
  if (unsendable.length === 0) return null;
  return (
    <section className="unsent-notice" aria-label={t('chat.unsentNotice')} data-testid={TEST_IDS.unsentNotice}>
      <ul>
        {unsendable.map((pending) => (
          <UnsentMessage key={pending.clientId} pending={pending} />
        ))}
      </ul>
    </section>
  );
}

function UnsentMessage({ pending }: { pending: PendingMessage }): ReactElement {
  const { t } = useTranslation();
  const title = pending.conversationTitle;
  const short = excerpt(pending.text, NAME_CHARS);
  return (
    <li className="unsent-message" data-testid={TEST_IDS.unsentMessage} data-client-id={pending.clientId}>
      <p className="failed-mark" role="alert" data-testid={TEST_IDS.unsentReason}>
        {title === undefined ? t('chat.unsentToUnknown') : tJoined(t, 'chat.unsentTo', { title })}
      </p>
      <p className="unsent-text" data-testid={TEST_IDS.unsentText}>
        {pending.text}
      </p>
      <div className="unsent-actions">
        <button type="button" className="secondary-button small" aria-label={tJoined(t, 'chat.shareOwn', { excerpt: short })} onClick={() => useUi.setState({ share: { text: pending.text } })} data-testid={TEST_IDS.unsentShare}>
          {t('chat.share')}
        </button>
        <button type="button" className="secondary-button small" aria-label={tJoined(t, 'chat.unsentDiscardLabel', { excerpt: short })} onClick={() => updateChat((s) => discardPending(s, pending.clientId))} data-testid={TEST_IDS.unsentDiscard}>
          {t('chat.unsentDiscard')}
        </button>
      </div>
    </li>
  );
}
