import type { TFunction } from 'i18next';
import type { Message } from '../../../protocol';

/** One line for list previews and notifications. */
export function previewText(message: Message, t: TFunction): string {
  if (message.kind === 'product') return t('preview.product', { title: message.product?.title ?? message.text });
  if (message.kind === 'system') return t('preview.system');
  return message.text.replace(/\s+/g, ' ').trim();
}
