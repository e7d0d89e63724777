import type { Page } from '@playwright/test';
import type { LinkPreview } from '../../../protocol';
import { TEST_IDS } from '../../../renderer/test-ids';
import { call } from '../../integration/helpers/sockets';
import { test, expect } from '../fixtures/test';
import { ChatPane } from '../pages/chat-pane';
import { MessageLinks } from '../pages/link-views';
import { ShellPage } from '../pages/shell-page';

/**
 * Rows of the virtualised list that do not start where the row above them ends: an overlap (the
 * row below drawn over this one) or a gap. Rows are absolutely placed one under the other, so
 * each must start within a pixel of its predecessor's bottom edge.
 */
function misplacedRows(page: Page): Promise<string[]> {
  return page.getByTestId(TEST_IDS.messageList).evaluate((list, textId) => {
    const slots = [...list.querySelectorAll<HTMLElement>(':scope > * > [data-index]')]
      .map((slot) => ({ index: Number(slot.dataset.index), box: slot.getBoundingClientRect(), text: slot.querySelector(`[data-testid="${textId}"]`)?.textContent?.slice(0, 12) ?? '' }))
      .sort((a, b) => a.index - b.index);
    const misplaced: string[] = [];
    for (let i = 1; i < slots.length; i++) {
      const above = slots[i - 1];
      const below = slots[i];
      if (above === undefined || below === undefined || below.index !== above.index + 1) continue;
      if (above.box.bottom > below.box.top + 1) misplaced.push(`'${above.text}' overlapped by the next row by ${Math.round(above.box.bottom - below.box.top)}px`);
      else if (below.box.top > above.box.bottom + 1) misplaced.push(`'${above.text}' followed by a gap of ${Math.round(below.box.top - above.box.bottom)}px`);
    }
    return misplaced;
  }, TEST_IDS.messageText);
}

// The list estimates a row it has not measured from the last row it measured. A row whose size
// matched that estimate when it was measured must still keep its own size when the estimate moves
// (a message:updated, a new message): it was once drawn over by the next row until a scroll.
test('message rows never overlap on a fresh load, nor once their links turn blocked', async ({ api, admin, openApp, stack }) => {
  const sender = await api.user({ displayName: 'Sender' });
  const reader = await api.user({ displayName: 'Reader' });
  const conversation = await api.contacts(sender, reader);
  const host = stack.takeShopHost();
  await admin.block(host, 'layout test');
  for (let i = 0; i < 30; i++) await api.send(sender, conversation.id, `plain ${i} ${'word '.repeat(i % 3)}`);
  const blocked = [30, 31, 32, 33].map((i) => `blocked ${i} see http://${host}/a and http://${host}/b`);
  for (const text of blocked) await api.send(sender, conversation.id, text);
  // Read on another device: the chat opens at its newest message (with unread ones it would open
  // at the first unread, at the top).
  await call(await reader.socket(), 'messages:read', { conversationId: conversation.id, seq: 30 + blocked.length });
  // Every verdict is in the history before the reader opens it.
  const history = async (): Promise<number> => {
    const { messages } = await call(await sender.socket(), 'messages:history', { conversationId: conversation.id, limit: 50 });
    return messages.filter((m) => m.links?.some((link) => link.state === 'blocked')).length;
  };
  await expect.poll(history).toBe(blocked.length);

  // The reader loads the conversation while those links are still being checked (the history
  // answer says 'pending'); the test then delivers each verdict as the server does, with a
  // message:updated, one at a time, so each row grows after it was first measured.
  const app = await openApp({ user: reader });
  const verdicts: { messageId: string; links: LinkPreview[] }[] = [];
  let deliver: ((frame: string) => void) | undefined;
  await app.page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    deliver = (frame) => ws.send(frame);
    server.onMessage((frame) => {
      // A Socket.IO acknowledgement ('43' + id + [answer]) of messages:history.
      if (typeof frame === 'string' && /^43\d+\[/.test(frame) && frame.includes('"blocked"')) {
        const at = frame.indexOf('[');
        const answer = JSON.parse(frame.slice(at)) as [{ messages?: { id: string; links?: LinkPreview[] }[] }];
        for (const message of answer[0].messages ?? []) {
          if (message.links === undefined || !message.links.some((link) => link.state === 'blocked')) continue;
          verdicts.push({ messageId: message.id, links: message.links });
          message.links = message.links.map((link) => ({ url: link.url, state: 'pending' }));
        }
        ws.send(frame.slice(0, at) + JSON.stringify(answer));
        return;
      }
      ws.send(frame);
    });
  });
  await app.page.setViewportSize({ width: 1100, height: 720 });
  await app.page.reload();
  await new ShellPage(app.page).openConversation(conversation.id);
  const chat = new ChatPane(app.page);
  const last = new MessageLinks(chat.messageContaining('blocked 33'));
  await expect(last.checkingMarks.first()).toBeVisible();
  expect(verdicts).toHaveLength(blocked.length);
  await expect.poll(() => misplacedRows(app.page)).toEqual([]);

  for (const verdict of verdicts) {
    deliver?.(`42${JSON.stringify(['message:updated', { conversationId: conversation.id, messageId: verdict.messageId, links: verdict.links }])}`);
    const row = new MessageLinks(chat.rows.and(app.page.locator(`[data-message-id="${verdict.messageId}"]`)));
    await expect(row.warning().first()).toBeVisible();
    await expect.poll(() => misplacedRows(app.page)).toEqual([]);
  }

  // New rows after the tall ones: each lands under the last, and nothing above moves out of place.
  for (const text of ['after the warnings', 'and one more']) {
    await api.send(sender, conversation.id, text);
    await expect(chat.message(text)).toBeVisible();
    await expect.poll(() => misplacedRows(app.page)).toEqual([]);
  }
});
