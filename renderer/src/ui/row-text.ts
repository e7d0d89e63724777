import { createContext, useContext } from 'react';
import type { TFunction } from 'i18next';

/**
 * The translation function and language for message rows, read once by the list. Calling
 * useTranslation in every row copies the i18n instance for each mounted component, which
 * showed up as a large share of mounting rows during a burst of incoming messages.
 */
export interface RowText {
  t: TFunction;
  language: string;
  /** The labels every row shows, translated once rather than for each row mounted. */
  labels: { share: string; read: string; unread: string; today: string; yesterday: string; you: string; senderSeparator: string; partSeparator: string; rowEnd: string };
}

export function rowText(t: TFunction, language: string): RowText {
  return {
    t,
    language,
    labels: {
      share: t('chat.share'),
      read: t('chat.read'),
      unread: t('chat.unread'),
      today: t('chat.today'),
      yesterday: t('chat.yesterday'),
      you: t('chat.you'),
      senderSeparator: t('chat.senderSeparator'),
      partSeparator: t('chat.partSeparator'),
      rowEnd: t('chat.rowEnd'),
    },
  };
}

export const RowTextContext = createContext<RowText | null>(null);

export function useRowText(): RowText {
  const text = useContext(RowTextContext);
  if (text === null) throw new Error('message rows must be rendered inside RowTextContext');
  return text;
}
