import type { TFunction } from 'i18next';
import type { Message } from '../../../protocol';

/**
 * A group event as a sentence ("Alice added Bob"). Names come from the caller, who knows the
 * members; an unknown id reads as "Someone", never as the raw id.
 */
export function systemSentence(message: Message, t: TFunction, nameOf: (userId: string) => string | undefined, myId: string | undefined): string {
  const info = message.system;
  if (info === undefined) return message.text;
  // "You" opens a sentence; later in it English writes "you" ("Alice made you an admin").
  const name = (id: string, you: 'system.you' | 'system.youObject'): string => (id === myId ? t(you) : (nameOf(id) ?? t('chat.unknownUser')));
  const actor = name(info.actorId, 'system.you');
  const targets = info.targetIds.map((id) => name(id, 'system.youObject')).join(t('system.listSeparator'));
  switch (info.event) {
    case 'created':
    case 'member_left':
      return t(`system.${info.event}`, { actor });
    case 'member_added':
    case 'member_removed':
      return t(`system.${info.event}`, { actor, targets });
    case 'renamed':
      return info.detail === undefined ? t('system.renamedPlain', { actor }) : t('system.renamed', { actor, detail: info.detail });
    case 'role_changed':
      return t('system.role_changed', { actor, targets, detail: info.detail === 'admin' ? t('system.roleAdmin') : t('system.roleMember') });
  }
}
