import { useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';

/** Opens a conversation as the reader asked (a click, Enter, "Message"): its message box gets the focus. */
export function openConversation(conversationId: string): void {
  // The conversation first: the chat view coming back marks the active conversation read.
  useChat.setState({ activeConversationId: conversationId });
  useUi.setState({ view: 'chats', composerFocus: conversationId });
}
