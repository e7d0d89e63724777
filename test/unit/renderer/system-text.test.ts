// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol';
import { initI18n, setLanguage } from '../../../renderer/src/i18n/i18n';
import { systemSentence } from '../../../renderer/src/lib/system-text';

const i18n = initI18n();
const names: Record<string, string> = { a: 'Alice', c: 'Carol' };

function event(system: Message['system']): Message {
  return { id: 'm', conversationId: 'g', seq: 2, senderId: 'a', clientId: 'system-1', kind: 'system', text: '', createdAt: 0, ...(system === undefined ? {} : { system }) };
}

describe('group events as sentences', () => {
  it('writes "You" where the reader opens the sentence and "you" further in', () => {
    setLanguage('en');
    const t = i18n.t.bind(i18n);
    expect(systemSentence(event({ event: 'role_changed', actorId: 'a', targetIds: ['me'], detail: 'admin' }), t, (id) => names[id], 'me')).toBe('Alice made you an admin');
    expect(systemSentence(event({ event: 'member_added', actorId: 'me', targetIds: ['c'] }), t, (id) => names[id], 'me')).toBe('You added Carol');
    expect(systemSentence(event({ event: 'member_removed', actorId: 'a', targetIds: ['c', 'me'] }), t, (id) => names[id], 'me')).toBe('Alice removed Carol, you');
  });

  it('reads the same in Chinese, which has no case', () => {
    setLanguage('zh-CN');
    const t = i18n.t.bind(i18n);
    expect(systemSentence(event({ event: 'role_changed', actorId: 'a', targetIds: ['me'], detail: 'admin' }), t, (id) => names[id], 'me')).toBe('Alice 将 你 设为管理员');
    setLanguage('en');
  });
});
