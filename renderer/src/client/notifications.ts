/** Desktop notifications and the unread badge: the bridge in Electron, web fallbacks elsewhere. */
import i18next from 'i18next';
import type { Message } from '../../../protocol';
import { bridge } from '../wire/bridge';
import { displayNameOf } from '../store/chat-state';
import { useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import { previewText } from '../lib/message-text';

export function notifyNewMessage(message: Message): void {
  if (message.kind === 'system') return;
  const state = useChat.getState();
  const conversation = state.conversations[message.conversationId];
  const sender = displayNameOf(state, message.senderId, message.conversationId) ?? i18next.t('chat.unknownUser');
  const title = conversation?.kind === 'group' ? `${sender} · ${conversation.title}` : sender;
  const body = previewText(message, i18next.t.bind(i18next), (id) => displayNameOf(state, id, message.conversationId), state.me?.id).slice(0, 200);
  const desktop = bridge();
  if (desktop) {
    void desktop.notify({ title, body, conversationId: message.conversationId });
    return;
  }
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag: message.conversationId });
  notification.onclick = () => {
    window.focus();
    // The conversation first: the chat view coming back marks the active conversation read.
    useChat.setState({ activeConversationId: message.conversationId });
    useUi.setState({ view: 'chats' });
  };
}

/** Asks once, on a user gesture, as browsers require. */
export function requestNotificationPermission(): void {
  if (bridge() || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission();
}

const baseTitle = (): string => i18next.t('app.name');

export function showUnreadCount(count: number): void {
  const desktop = bridge();
  if (desktop) void desktop.setBadgeCount(count);
  document.title = count > 0 ? `(${count}) ${baseTitle()}` : baseTitle();
}
