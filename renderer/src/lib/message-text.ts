import type { TFunction } from 'i18next';
import type { Message } from '../../../protocol';
import { systemSentence } from './system-text';

/**
 * One line for list previews and notifications. A group event reads as the sentence history
 * shows ("Ann added Cy"), with names from `nameOf`.
 */
export function previewText(message: Message, t: TFunction, nameOf: (userId: string) => string | undefined = () => undefined, myId?: string): string {
  if (message.kind === 'product') return t('preview.product', { title: message.product?.title ?? message.text });
  if (message.kind === 'system') return systemSentence(message, t, nameOf, myId);
  return message.text.replace(/\s+/g, ' ').trim();
}
