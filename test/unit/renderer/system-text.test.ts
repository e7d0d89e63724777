// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol';
import { initI18n, setLanguage } from '../../../renderer/src/i18n/i18n';
import { systemSentence } from '../../../renderer/src/lib/system-text';
import { previewText } from '../../../renderer/src/lib/message-text';
import { joinValues } from '../../../renderer/src/lib/cjk-spacing';

const i18n = initI18n();
const names: Record<string, string> = { a: 'Alice', c: 'Carol', qa: 'Ann QA', bo: 'Bo', zh: '博', cy: 'Cy' };
const nameOf = (id: string): string | undefined => names[id];

function event(system: Message['system']): Message {
  return { id: 'm', conversationId: 'g', seq: 2, senderId: 'a', clientId: 'system-1', kind: 'system', text: '', createdAt: 0, ...(system === undefined ? {} : { system }) };
}

function sentence(system: Message['system'], language: 'en' | 'zh-CN'): string {
  setLanguage(language);
  const text = systemSentence(event(system), i18n.t.bind(i18n), nameOf, 'me');
  setLanguage('en');
  return text;
}

describe('group events as sentences', () => {
  it('writes "You" where the reader opens the sentence and "you" further in', () => {
    expect(sentence({ event: 'role_changed', actorId: 'a', targetIds: ['me'], detail: 'admin' }, 'en')).toBe('Alice made you an admin');
    expect(sentence({ event: 'member_added', actorId: 'me', targetIds: ['c'] }, 'en')).toBe('You added Carol');
    expect(sentence({ event: 'member_removed', actorId: 'a', targetIds: ['c', 'me'] }, 'en')).toBe('Alice removed Carol, you');
  });

  it('writes Chinese without spaces between Chinese words, and with one beside a Latin name', () => {
    expect(sentence({ event: 'role_changed', actorId: 'qa', targetIds: ['me'], detail: 'admin' }, 'zh-CN')).toBe('Ann QA 将你设为管理员');
    expect(sentence({ event: 'created', actorId: 'me', targetIds: ['bo'] }, 'zh-CN')).toBe('你创建了群聊');
    expect(sentence({ event: 'member_added', actorId: 'me', targetIds: ['bo', 'zh'] }, 'zh-CN')).toBe('你邀请 Bo、博加入了群聊');
    expect(sentence({ event: 'member_removed', actorId: 'zh', targetIds: ['me'] }, 'zh-CN')).toBe('博将你移出了群聊');
    expect(sentence({ event: 'renamed', actorId: 'bo', targetIds: [], detail: 'Tea 茶' }, 'zh-CN')).toBe('Bo 将群名改为“Tea 茶”');
    expect(sentence({ event: 'member_left', actorId: 'cy', targetIds: ['cy'] }, 'zh-CN')).toBe('Cy 退出了群聊');
  });

  it('says who became owner when the owner left (role_changed with detail "owner"), never "made … a member"', () => {
    const handover = { event: 'role_changed' as const, actorId: 'a', targetIds: ['bo'], detail: 'owner' };
    expect(sentence(handover, 'en')).toBe('Bo is now the owner');
    expect(sentence(handover, 'zh-CN')).toBe('Bo 成为群主');
    expect(sentence({ ...handover, targetIds: ['zh'] }, 'zh-CN')).toBe('博成为群主');
    expect(sentence({ ...handover, targetIds: ['me'] }, 'en')).toBe('You are now the owner');
    expect(sentence({ ...handover, targetIds: ['me'] }, 'zh-CN')).toBe('你成为群主');
    // Roles given by the owner read as before.
    expect(sentence({ event: 'role_changed', actorId: 'a', targetIds: ['bo'], detail: 'member' }, 'en')).toBe('Alice made Bo a member');
  });

  it('previews a group event in the conversation list as the sentence history shows', () => {
    const t = i18n.t.bind(i18n);
    expect(previewText(event({ event: 'member_added', actorId: 'a', targetIds: ['cy'] }), t, nameOf, 'me')).toBe('Alice added Cy');
    setLanguage('zh-CN');
    expect(previewText(event({ event: 'member_added', actorId: 'a', targetIds: ['cy'] }), i18n.t.bind(i18n), nameOf, 'me')).toBe('Alice 邀请 Cy 加入了群聊');
    setLanguage('en');
  });
});

describe('joinValues', () => {
  it('leaves English and text without Chinese as it is, and never changes a value itself', () => {
    expect(joinValues('\uE000Alice\uE001 added \uE000Cy\uE001')).toBe('Alice added Cy');
    expect(joinValues('\uE000Tea茶\uE001成为群主')).toBe('Tea茶成为群主');
    expect(joinValues('将群名改为“\uE000abc\uE001”')).toBe('将群名改为“abc”');
  });

  it('puts no space next to Chinese or full-width punctuation, but still between Latin and Han, kana, Hangul or full-width letters', () => {
    expect(joinValues('没有管理员时转给入群最早的成员，即\uE000Ann\uE001。你将不再收到它的消息。')).toBe('没有管理员时转给入群最早的成员，即 Ann。你将不再收到它的消息。');
    expect(joinValues('转发\uE000Ann\uE001的消息：\uE000hello world\uE001')).toBe('转发 Ann 的消息：hello world');
    expect(joinValues('「\uE000Tea\uE001」！（\uE000x\uE001）\u3000\uE000y\uE001')).toBe('「Tea」！（x）\u3000y');
    expect(joinValues('\uE000Ann\uE001さん')).toBe('Ann さん');
    expect(joinValues('\uE000Ann\uE001님')).toBe('Ann 님');
    expect(joinValues('第\uE000Ann\uE001々')).toBe('第 Ann 々');
    expect(joinValues('ＡＢ\uE000Ann\uE001１')).toBe('ＡＢ Ann １');
  });
});
