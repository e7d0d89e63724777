import type { TFunction } from 'i18next';
import type { Message } from '../../../protocol';
import { tJoined } from './cjk-spacing';

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
      return tJoined(t, `system.${info.event}`, { actor });
    case 'member_added':
    case 'member_removed':
      return tJoined(t, `system.${info.event}`, { actor, targets });
    case 'renamed':
      return info.detail === undefined ? tJoined(t, 'system.renamedPlain', { actor }) : tJoined(t, 'system.renamed', { actor, detail: info.detail });
    case 'role_changed':
      // The owner left and handed the group over (the actor is the one who left): the sentence
      // names only the new owner, who opens it.
      if (info.detail === 'owner') {
        const owners = info.targetIds.filter((id) => id !== myId);
        if (owners.length < info.targetIds.length) return t('system.nowOwnerYou');
        return tJoined(t, 'system.nowOwner', { target: owners.map((id) => name(id, 'system.you')).join(t('system.listSeparator')) });
      }
      return tJoined(t, 'system.role_changed', { actor, targets, detail: info.detail === 'admin' ? t('system.roleAdmin') : t('system.roleMember') });
  }
}
