import { createContext, useContext } from 'react';
import type { ChatClient } from '../client/chat-client';

export const ClientContext = createContext<ChatClient | null>(null);

export function useClient(): ChatClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('useClient outside a signed-in session');
  return client;
}
