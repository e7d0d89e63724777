import { useMemo, type ReactElement } from 'react';
import { otherMemberId, sortedConversations } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { Avatar } from './Avatar';
import { PickerRow, toggled } from './PickerRow';

/** Checkboxes over the conversations, most recent first; rows carry data-conversation-id. */
export function ConversationPicker({ selected, onChange, testId }: { selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void; testId: string }): ReactElement {
  const conversations = useChat((s) => s.conversations);
  const list = useMemo(() => sortedConversations(conversations), [conversations]);
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
