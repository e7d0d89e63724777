import { create } from 'zustand';
import { emptyChatState, type ChatState } from './chat-state';

/** The one chat store: plain state, moved only by the pure functions of chat-state.ts. */
export const useChat = create<ChatState>()(() => emptyChatState());

export function updateChat(step: (state: ChatState) => ChatState): void {
  useChat.setState((state) => step(state), true);
}
