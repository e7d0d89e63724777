import { useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import { TEST_IDS } from '../../test-ids';
import { useClient } from './client-context';
import { Icon } from './icons';

/** The counter appears once a message gets this close to the limit. */
const COUNTER_FROM = LIMITS.messageTextMax - 500;
const MAX_HEIGHT_PX = 180;

export function Composer({ conversationId }: { conversationId: string }): ReactElement {
  const { t } = useTranslation();
  const client = useClient();
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const length = codePointLength(text);
  const tooLong = length > LIMITS.messageTextMax;
  const empty = text.trim() === '';

  const resize = (): void => {
    const element = input.current;
    if (element === null) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  };

  const send = (): void => {
    if (empty || tooLong) return;
    client.sendText(conversationId, text);
    setText('');
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

  return (
    <div className="composer" data-testid={TEST_IDS.composer}>
      <textarea
        ref={input}
        className="composer-input"
        value={text}
        rows={1}
        onChange={(e) => {
          setText(e.target.value);
          resize();
          if (e.target.value.trim() !== '') client.typing(conversationId);
        }}
        onKeyDown={onKeyDown}
        placeholder={t('chat.composerPlaceholder')}
        aria-label={t('chat.composer')}
        aria-invalid={tooLong}
        aria-describedby={length >= COUNTER_FROM ? `counter-${conversationId}` : undefined}
        data-testid={TEST_IDS.composerInput}
      />
      <div className="composer-side">
        {length >= COUNTER_FROM && (
          <span id={`counter-${conversationId}`} className={`composer-counter${tooLong ? ' is-over' : ''}`} aria-live="polite" data-testid={TEST_IDS.composerCounter} title={tooLong ? t('chat.tooLong', { max: LIMITS.messageTextMax }) : undefined}>
            {t('chat.counter', { count: length, max: LIMITS.messageTextMax })}
          </span>
        )}
        <button type="button" className="send-button" onClick={send} disabled={empty || tooLong} aria-label={t('chat.send')} data-testid={TEST_IDS.sendButton}>
          <Icon name="send" size={18} />
          <span>{t('chat.send')}</span>
        </button>
      </div>
    </div>
  );
}
