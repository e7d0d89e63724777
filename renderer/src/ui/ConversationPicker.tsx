import { useMemo, type ReactElement } from 'react';
import { otherMemberId, sortedConversations } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { Avatar } from './Avatar';

/** Checkboxes over the conversations, most recent first; rows carry data-conversation-id. */
export function ConversationPicker({ selected, onChange, testId }: { selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void; testId: string }): ReactElement {
  const conversations = useChat((s) => s.conversations);
  const list = useMemo(() => sortedConversations(conversations), [conversations]);
  const myId = useChat((s) => s.me?.id);
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <ul className="picker-list">
      {list.map((conversation) => (
        <li key={conversation.id}>
          <label className={`picker-row${selected.has(conversation.id) ? ' is-selected' : ''}`} data-testid={testId} data-conversation-id={conversation.id}>
            <input type="checkbox" checked={selected.has(conversation.id)} onChange={() => toggle(conversation.id)} />
            <Avatar id={(conversation.kind === 'direct' ? otherMemberId(conversation, myId) : undefined) ?? conversation.id} name={conversation.title} size={32} group={conversation.kind === 'group'} />
            <span className="person-name">{conversation.title}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}
