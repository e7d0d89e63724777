import { useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../protocol/limits';
import { applyMessages } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { newClientId } from '../lib/client-id';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Dialog } from './Dialog';
import { ConversationPicker, useSendableConversations } from './ConversationPicker';

/** A verified merchant shares a product page of its own shop; the server builds the card. */
export function ProductShareDialog({ onClose }: { onClose: () => void }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const conversations = useChat((s) => s.conversations);
  const [url, setUrl] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  /** Shared so far in this dialog: a retry after a partial failure goes only to the others. */
  const [sharedTo, setSharedTo] = useState<ReadonlySet<string>>(new Set());
  /**
   * One clientId per conversation and URL for the dialog's life: a share whose answer was lost
   * (a timeout, a dropped connection) and is sent again is the same message, not a second card.
   */
  const clientIds = useRef(new Map<string, string>());
  const sendable = useSendableConversations();
  // Ticked and still offered: a chat that left the list meanwhile (no longer a contact) is not sent to.
  const targets = sendable.filter((c) => selected.has(c.id)).map((c) => c.id);
  const trimmed = url.trim();
  const valid = trimmed !== '' && trimmed.length <= LIMITS.urlMax && targets.length > 0;

  const share = async (): Promise<void> => {
    if (!valid) return;
    setBusy(true);
    setErrors([]);
    const failures: string[] = [];
    const shared = new Set(sharedTo);
    for (const conversationId of targets) {
      const key = `${conversationId} ${trimmed}`;
      const clientId = clientIds.current.get(key) ?? newClientId();
      clientIds.current.set(key, clientId);
      const result = await client.request('products:share', { conversationId, clientId, url: trimmed });
      if (result.ok) {
        shared.add(conversationId);
        updateChat((s) => applyMessages(s, [result.value.message]));
      } else {
        const error = t(`errors.${result.code}`);
        failures.push(targets.length > 1 ? t('share.productFailedIn', { conversation: conversations[conversationId]?.title ?? '', error }) : error);
      }
    }
    setBusy(false);
    setSharedTo(shared);
    setErrors(failures);
    // What went out is unticked, so that trying again sends only what failed.
    setSelected(new Set([...selected].filter((id) => !shared.has(id))));
    if (shared.size > 0 && failures.length === 0) setDone(shared.size);
  };

  const editUrl = (next: string): void => {
    setUrl(next);
    // An error about the address just changed no longer says anything true.
    setErrors([]);
  };

  return (
    <Dialog
      title={t('share.productTitle')}
      onClose={onClose}
      testId={TEST_IDS.productShareDialog}
      footer={
        done === null ? (
          <button type="button" className="primary-button" disabled={!valid || busy} onClick={() => void share()} data-testid={TEST_IDS.productShareSend}>
            {busy ? t('auth.working') : t('share.productSend')}
          </button>
        ) : (
          <button type="button" className="primary-button" onClick={onClose} autoFocus data-testid={TEST_IDS.productShareDoneClose}>
            {t('dialog.close')}
          </button>
        )
      }
    >
      {done !== null ? (
        <p className="success-note" role="status" data-testid={TEST_IDS.productShareDone}>
          {t('share.productDone', { count: done })}
        </p>
      ) : (
        <>
          <p className="muted">{t('share.productHint')}</p>
          <label className="field">
            <span>{t('share.productUrl')}</span>
            <input type="url" value={url} onChange={(e) => editUrl(e.target.value)} placeholder="https://" maxLength={LIMITS.urlMax} data-autofocus data-testid={TEST_IDS.productShareUrl} />
          </label>
          <fieldset className="picker-fieldset">
            <legend>{t('share.targets')}</legend>
            {sendable.length > 0 ? (
              <ConversationPicker selected={selected} onChange={setSelected} testId={TEST_IDS.productShareTarget} />
            ) : (
              <p className="muted" data-testid={TEST_IDS.productShareNoConversations}>
                {t('share.noConversations')}
              </p>
            )}
          </fieldset>
          {errors.length > 0 && sharedTo.size > 0 && (
            <p className="success-note" data-testid={TEST_IDS.productSharePartial}>
              {t('share.productDone', { count: sharedTo.size })}
            </p>
          )}
          {errors.length > 0 && (
            <div className="form-error" role="alert" data-testid={TEST_IDS.productShareError}>
              {errors.map((error, index) => (
                <p key={index}>{error}</p>
              ))}
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
