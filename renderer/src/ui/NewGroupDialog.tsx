import { useId, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import { upsertConversation } from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { limitCodePoints } from '../lib/text-limit';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Dialog } from './Dialog';
import { PeoplePicker } from './PeoplePicker';
import { openConversation } from './open-conversation';

/**
 * A new group: a name is all it needs. The server lets a group start with its owner alone
 * (`memberIds` may be empty), so members are optional here too.
 */
export function NewGroupDialog({ onClose }: { onClose: () => void }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const contactsById = useChat((s) => s.contacts);
  const people = useMemo(() => Object.values(contactsById).map((c) => c.user).sort((a, b) => a.displayName.localeCompare(b.displayName)), [contactsById]);
  const [title, setTitle] = useState('');
  const [cut, setCut] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Two Enter presses in one frame both see the state from before; the ref is set at once.
  const creating = useRef(false);
  const hintId = useId();
  const titleLength = codePointLength(title.trim());
  const valid = titleLength >= 1 && titleLength <= LIMITS.groupTitleMax;
  // What stands between the reader and "Create group", in words.
  const hint = titleLength === 0 ? t('groups.needsName') : cut ? t('groups.titleMax', { max: LIMITS.groupTitleMax }) : null;

  const create = async (): Promise<void> => {
    if (!valid || creating.current) return;
    creating.current = true;
    setBusy(true);
    setError(null);
    const result = await client.request('groups:create', { title: title.trim(), memberIds: [...selected] });
    creating.current = false;
    setBusy(false);
    if (!result.ok) {
      setError(t(`errors.${result.code}`));
      return;
    }
    updateChat((s) => upsertConversation(s, result.value.conversation));
    openConversation(result.value.conversation.id);
    onClose();
  };

  return (
    <Dialog
      title={t('groups.newTitle')}
      onClose={onClose}
      testId={TEST_IDS.newGroupDialog}
      footer={
        <>
          <span className="muted">{t('groups.selected', { count: selected.size })}</span>
          <button type="button" className="primary-button" disabled={!valid || busy} onClick={() => void create()} aria-describedby={hint === null ? undefined : hintId} data-testid={TEST_IDS.newGroupCreate}>
            {t('groups.create')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t('groups.name')}</span>
        <input
          value={title}
          onChange={(e) => {
            const limited = limitCodePoints(e.target.value, LIMITS.groupTitleMax);
            setTitle(limited.value);
            setCut(limited.cut);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            // Enter that confirms a Chinese (IME) candidate must not create; 229 is what some IMEs report instead.
            if (e.nativeEvent.isComposing || e.keyCode === 229) return;
            void create();
          }}
          required
          aria-describedby={hintId}
          data-autofocus
          data-testid={TEST_IDS.newGroupTitle}
        />
      </label>
      <p id={hintId} className="muted" role="status">
        {hint}
      </p>
      <fieldset className="picker-fieldset">
        <legend>{t('groups.chooseMembers')}</legend>
        {people.length === 0 ? (
          <p className="muted" data-testid={TEST_IDS.newGroupNoContacts}>
            {t('groups.noContacts')}
          </p>
        ) : (
          <PeoplePicker people={people} selected={selected} onChange={setSelected} testId={TEST_IDS.newGroupMember} />
        )}
      </fieldset>
      {error !== null && (
        <p className="form-error" role="alert" data-testid={TEST_IDS.newGroupError}>
          {error}
        </p>
      )}
    </Dialog>
  );
}
