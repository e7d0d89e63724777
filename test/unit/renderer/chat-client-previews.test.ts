// @vitest-environment jsdom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { err, ok, type LinkPreview } from '../../../protocol';
import type { LinkServices } from '../../../server/links/link-services';
import { useChat } from '../../../renderer/src/store/chat-store';
import { startChatPair, until, type ChatPair } from './helpers/chat-pair';

let pair: ChatPair;
let bobSocket: Socket;
let conversationId: string;
/** Resolves the preview fetch under way: the test decides when a preview is ready. */
let releasePreview: (previews: LinkPreview[]) => void = () => undefined;

const links: LinkServices = {
  extract: (text) => (text.match(/https:\/\/\S+/g) ?? []).slice(0, 3),
  preview: () =>
    new Promise((resolve) => {
      releasePreview = resolve;
    }),
  verdicts: async (urls) => urls.map((url) => ({ url, verdict: 'unverified' })),
  verdict: async (url) => (url.startsWith('https://') ? ok({ url, verdict: 'unverified' }) : err('invalid_input', 'bad url')),
  productCard: async () => err('not_verified', 'no'),
  merchant: async () => err('not_found', 'no'),
};

const linkStateOf = (messageId: string): string | undefined =>
  useChat.getState().messages[conversationId]?.items.find((m) => m.id === messageId)?.links?.[0]?.state;

beforeAll(async () => {
  pair = await startChatPair({ links });
  ({ bobSocket, conversationId } = pair);
});

afterAll(async () => {
  releasePreview([]);
  await pair.close();
});

describe('ChatClient and previews that resolve while it is offline', () => {
  it('reads a message whose preview was still pending again after a reconnect, so the link does not stay "checking"', async () => {
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      await client.setActive(conversationId);
      await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');

      const sent = await bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-preview-01', text: 'see https://shop.example/item' });
      const messageId: string = sent.message.id;
      await until(() => linkStateOf(messageId) === 'pending', 'the message with its pending link');

      client.socket.disconnect();
      await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
      // The preview resolves while Alice is away: its message:updated reaches Bob only.
      const updated = new Promise<void>((resolve) => bobSocket.once('message:updated', () => resolve()));
      releasePreview([{ url: 'https://shop.example/item', state: 'blocked', reason: 'phishing' }]);
      await updated;
      expect(linkStateOf(messageId)).toBe('pending');

      client.socket.connect();
      await until(() => linkStateOf(messageId) === 'blocked', 'the preview resolved while offline');
      expect(useChat.getState().conversations[conversationId]?.lastMessage?.links?.[0]?.state).toBe('blocked');
      expect(useChat.getState().messages[conversationId]?.items.filter((m) => m.id === messageId)).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});
