import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../protocol/limits';
import { applyMessages } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { newClientId } from '../lib/client-id';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Dialog } from './Dialog';
import { ConversationPicker } from './ConversationPicker';

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
  const trimmed = url.trim();
  const valid = trimmed !== '' && trimmed.length <= LIMITS.urlMax && selected.size > 0;

  const share = async (): Promise<void> => {
    if (!valid) return;
    setBusy(true);
    setErrors([]);
    const failures: string[] = [];
    let sent = 0;
    for (const conversationId of selected) {
      const result = await client.request('products:share', { conversationId, clientId: newClientId(), url: trimmed });
      if (result.ok) {
        sent += 1;
        updateChat((s) => applyMessages(s, [result.value.message]));
      } else {
        const error = t(`errors.${result.code}`);
        failures.push(selected.size > 1 ? t('share.productFailedIn', { conversation: conversations[conversationId]?.title ?? '', error }) : error);
      }
    }
    setBusy(false);
    setErrors(failures);
    if (sent > 0 && failures.length === 0) setDone(sent);
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
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" maxLength={LIMITS.urlMax} data-autofocus data-testid={TEST_IDS.productShareUrl} />
          </label>
          <fieldset className="picker-fieldset">
            <legend>{t('share.targets')}</legend>
            {Object.keys(conversations).length > 0 ? (
              <ConversationPicker selected={selected} onChange={setSelected} testId={TEST_IDS.productShareTarget} />
            ) : (
              <p className="muted" data-testid={TEST_IDS.productShareNoConversations}>
                {t('share.noConversations')}
              </p>
            )}
          </fieldset>
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
