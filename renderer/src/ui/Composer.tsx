import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../protocol/limits';
import { loadDraft, saveDraft } from '../lib/drafts';
import { sendableLength } from '../lib/text-limit';
import { useUi } from '../store/ui-store';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Icon } from './icons';
import './Composer.css';

/** The counter appears once a message gets this close to the limit. */
const COUNTER_FROM = LIMITS.messageTextMax - 500;
const MAX_HEIGHT_PX = 180;

/**
 * The message box. `blocked` (a removed contact) disables it and says why, above it: a message
 * would only come back "not sent". It is mounted once per conversation; what is typed and not
 * sent stays as that conversation's draft for when the reader comes back.
 */
export function Composer({ conversationId, blocked }: { conversationId: string; blocked?: ReactNode }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const [text, setText] = useState(() => loadDraft(client, conversationId));
  // Bumped by Enter on a message that is too long, so the explanation is read out again.
  const [refused, setRefused] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  // Counted as the server counts, so the counter, Send and the explanation agree with what it takes.
  const length = sendableLength(text);
  const tooLong = length > LIMITS.messageTextMax;
  const empty = text.trim() === '';
  const disabled = blocked !== undefined;
  const focusWanted = useUi((s) => s.composerFocus === conversationId);

  // The reader opened this conversation: typing goes to its message box.
  useEffect(() => {
    if (!focusWanted) return;
    input.current?.focus();
    useUi.setState({ composerFocus: null });
  }, [focusWanted]);

  const resize = (): void => {
    const element = input.current;
    if (element !== null) fitHeight(element);
  };

  // A restored draft of several lines gets its height before it is first painted.
  useLayoutEffect(() => {
    if (input.current !== null) fitHeight(input.current);
  }, []);

  const edit = (value: string): void => {
    setText(value);
    saveDraft(client, conversationId, value);
  };

  const send = (): void => {
    if (disabled || empty) return;
    if (tooLong) {
      setRefused((n) => n + 1);
      return;
    }
    client.sendText(conversationId, text);
    edit('');
    requestAnimationFrame(resize);
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    // Enter that confirms a Chinese (IME) candidate must not send; 229 is what some IMEs report instead.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  };

  const counterId = `counter-${conversationId}`;
  const problemId = `composer-problem-${conversationId}`;
  const keysId = `composer-keys-${conversationId}`;
  const problem = blocked ?? (tooLong ? t('chat.tooLong', { max: LIMITS.messageTextMax, over: length - LIMITS.messageTextMax }) : undefined);
  const describedBy = [problem === undefined ? undefined : problemId, length >= COUNTER_FROM ? counterId : undefined, disabled ? undefined : keysId].filter((id) => id !== undefined).join(' ');

  return (
    <>
      {problem !== undefined && (
        // Polite while typing; Enter on a too-long message re-mounts it as an alert, so it is read out then.
        <div key={refused} id={problemId} className="composer-problem" role={refused > 0 && tooLong ? 'alert' : 'status'} data-testid={TEST_IDS.composerProblem}>
          {problem}
        </div>
      )}
      <div className="composer" data-testid={TEST_IDS.composer}>
        {/* The keys, once in the placeholder, which narrow windows cut off: now read out as the box's description. */}
        {!disabled && (
          <span id={keysId} className="visually-hidden">
            {t('chat.composerKeys')}
          </span>
        )}
        <textarea
          ref={input}
          className="composer-input"
          value={text}
          rows={1}
          disabled={disabled}
          onChange={(e) => {
            edit(e.target.value);
            // Back within the limit: a later overlong message is again explained politely until Enter.
            if (refused !== 0 && sendableLength(e.target.value) <= LIMITS.messageTextMax) setRefused(0);
            resize();
            if (e.target.value.trim() !== '') client.typing(conversationId);
          }}
          onKeyDown={onKeyDown}
          placeholder={disabled ? '' : t('chat.composerPlaceholder')}
          aria-label={t('chat.composer')}
          aria-invalid={tooLong}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          data-testid={TEST_IDS.composerInput}
        />
        <div className="composer-side">
          {length >= COUNTER_FROM && (
            <span id={counterId} className={`composer-counter${tooLong ? ' is-over' : ''}`} aria-live="polite" data-testid={TEST_IDS.composerCounter}>
              {t('chat.counter', { count: length, max: LIMITS.messageTextMax })}
            </span>
          )}
          <button type="button" className="send-button" onClick={send} disabled={disabled || empty || tooLong} aria-label={t('chat.send')} data-testid={TEST_IDS.sendButton}>
            <Icon name="send" size={18} />
            <span>{t('chat.send')}</span>
          </button>
        </div>
      </div>
    </>
  );
}

/**
 * Sizes the box to its text. The composer keeps its height while the box is measured at 'auto':
 * collapsed for that moment, it let the message list above grow, the browser clamped the list's
 * scroll position to the bigger list, and a list at the bottom was left that far above it once
 * the box took its height back (no resize is seen when the height ends where it was).
 */
function fitHeight(element: HTMLTextAreaElement): void {
  const composer = element.parentElement;
  if (composer !== null) composer.style.minHeight = `${composer.offsetHeight}px`;
  element.style.height = 'auto';
  element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  if (composer !== null) composer.style.minHeight = '';
}
