import { flushSync } from 'react-dom';
import { useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';

/** Opens a conversation as the reader asked (a click, Enter, "Message"): its message box gets the focus. */
export function openConversation(conversationId: string): void {
  // The conversation first: the chat view coming back marks the active conversation read.
  useChat.setState({ activeConversationId: conversationId });
  useUi.setState({ view: 'chats', composerFocus: conversationId });
}

/**
 * Closes the open conversation (the Back button of narrow windows, which show the list or the chat,
 * not both): no conversation is active, so none is marked read, and the focus goes back to the
 * conversation's item in the list, now shown again.
 */
export function closeConversation(): void {
  const closed = useChat.getState().activeConversationId;
  flushSync(() => {
    useChat.setState({ activeConversationId: null });
    useUi.setState({ composerFocus: null });
  });
  if (closed === null) return;
  document.querySelector<HTMLElement>(`button.conversation-item[data-conversation-id="${CSS.escape(closed)}"]`)?.focus();
}
