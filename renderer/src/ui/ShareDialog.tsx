import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import { useChat } from '../store/chat-store';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Dialog } from './Dialog';
import { ConversationPicker, useSendableConversations } from './ConversationPicker';

/**
 * Shares text (a message, a link) into one or more conversations. Each send goes through the
 * outbox, so sharing while offline queues like typing does. The text is read from initialText
 * once, as the reader may edit it; the shell gives each share request a key of its own, so a new
 * request starts a new dialog.
 */
export function ShareDialog({ initialText, onClose }: { initialText: string; onClose: () => void }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const sendable = useSendableConversations();
  const hasConversations = sendable.length > 0;
  const online = useChat((s) => s.connection === 'online');
  const [text, setText] = useState(initialText);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<number | null>(null);
  const length = codePointLength(text.trim());
  // Ticked and still offered: a chat that left the list meanwhile (no longer a contact) is not sent to.
  const targets = sendable.filter((c) => selected.has(c.id)).map((c) => c.id);
  const valid = length >= 1 && length <= LIMITS.messageTextMax && targets.length > 0;

  const send = (): void => {
    if (!valid) return;
    for (const conversationId of targets) client.sendText(conversationId, text);
    setDone(targets.length);
  };

  return (
    <Dialog
      title={t('share.title')}
      onClose={onClose}
      testId={TEST_IDS.shareDialog}
      footer={
        done === null ? (
          <button type="button" className="primary-button" disabled={!valid} onClick={send} data-testid={TEST_IDS.shareSend}>
            {targets.length > 0 ? t('share.sendTo', { count: targets.length }) : t('share.send')}
          </button>
        ) : (
          <button type="button" className="primary-button" onClick={onClose} autoFocus data-testid={TEST_IDS.shareDoneClose}>
            {t('dialog.close')}
          </button>
        )
      }
    >
      {done !== null ? (
        <p className="success-note" role="status" data-testid={TEST_IDS.shareDone}>
          {t('share.done', { count: done })} {!online && t('share.queued')}
        </p>
      ) : (
        <>
          <label className="field">
            <span>{t('share.text')}</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} data-testid={TEST_IDS.shareText} />
          </label>
          <fieldset className="picker-fieldset">
            <legend>{t('share.targets')}</legend>
            {hasConversations ? (
              <ConversationPicker selected={selected} onChange={setSelected} testId={TEST_IDS.shareTarget} />
            ) : (
              <p className="muted" data-testid={TEST_IDS.shareNoConversations}>
                {t('share.noConversations')}
              </p>
            )}
          </fieldset>
        </>
      )}
    </Dialog>
  );
}
