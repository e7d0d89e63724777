import { useMemo, type ReactElement } from 'react';
import type { Conversation } from '../../../protocol';
import { canSendTo, otherMemberId, sortedConversations } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { Avatar } from './Avatar';
import { PickerRow, toggled } from './PickerRow';

/**
 * Checkboxes over the conversations a message can go to, most recent first (a direct chat with a
 * former contact is left out: a share there could only fail); rows carry data-conversation-id.
 */
export function ConversationPicker({ selected, onChange, testId }: { selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void; testId: string }): ReactElement {
  const list = useSendableConversations();
  const myId = useChat((s) => s.me?.id);
  return (
    <ul className="picker-list">
      {list.map((conversation) => (
        <PickerRow
          key={conversation.id}
          checked={selected.has(conversation.id)}
          onToggle={() => onChange(toggled(selected, conversation.id))}
          testId={testId}
          data={{ 'data-conversation-id': conversation.id }}
        >
          <Avatar id={(conversation.kind === 'direct' ? otherMemberId(conversation, myId) : undefined) ?? conversation.id} name={conversation.title} size={32} group={conversation.kind === 'group'} />
          <span className="person-name">{conversation.title}</span>
        </PickerRow>
      ))}
    </ul>
  );
}

/** The conversations a share can go to, most recent first. */
export function useSendableConversations(): Conversation[] {
  const conversations = useChat((s) => s.conversations);
  const contacts = useChat((s) => s.contacts);
  const contactsLoaded = useChat((s) => s.contactsLoaded);
  const me = useChat((s) => s.me);
  return useMemo(() => sortedConversations(conversations).filter((c) => canSendTo({ contacts, contactsLoaded, me }, c)), [conversations, contacts, contactsLoaded, me]);
}
