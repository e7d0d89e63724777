import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { createChatWorld } from './helpers/chat-world';
import type { ChatWorld } from './helpers/chat-world';
import { call, emitAck, recordEvents, waitForEvent } from './helpers/sockets';

const systemEvents = (messages: readonly Message[]) => messages.filter((m) => m.kind === 'system').map((m) => m.system?.event);

describe('groups', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld({ limits: { groupChangesPerUser: { burst: 1000, perSecond: 1000 } } });
  });
  afterAll(async () => {
    await world.close();
  });

  it('creates a group: the caller owns it, members are told, history starts with a created message', async () => {
    const owner = await world.user();
    const member = await world.user();
    await world.contacts(owner, member);
    const told = waitForEvent(member.socket, 'conversation:updated', { filter: (c) => c.kind === 'group' });
    const { conversation } = await call(owner.socket, 'groups:create', { title: '  家人  ', memberIds: [member.user.id, member.user.id, owner.user.id] });
    expect(conversation).toMatchObject({ kind: 'group', title: '家人', lastSeq: 1, unread: 0 });
    expect(conversation.members.map((m) => [m.user.id, m.role])).toEqual([
      [owner.user.id, 'owner'],
      [member.user.id, 'member'],
    ]);
    expect((await told).id).toBe(conversation.id);
    const history = await call(member.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages).toHaveLength(1);
    expect(history.messages[0]).toMatchObject({ kind: 'system', text: '', system: { event: 'created', actorId: owner.user.id, targetIds: [member.user.id] } });
  });

  it('refuses non-contacts, bad titles, and more than 500 members', async () => {
    const owner = await world.user();
    const stranger = await world.user();
    const notContact = await emitAck(owner.socket, 'groups:create', { title: 'G', memberIds: [stranger.user.id] });
    expect(!notContact.ok && notContact.error.code).toBe('not_contact');
    const noTitle = await emitAck(owner.socket, 'groups:create', { title: '   ', memberIds: [] });
    expect(!noTitle.ok && noTitle.error.code).toBe('invalid_input');
    const tooMany = await emitAck(owner.socket, 'groups:create', { title: 'G', memberIds: Array.from({ length: 500 }, (_, i) => `user-${i}`) });
    expect(!tooMany.ok && tooMany.error.code).toBe('group_full');
  });

  it('adds members (owner or admin, contacts of the adder); the new member sees history from its addition', async () => {
    const owner = await world.user();
    const early = await world.user();
    const late = await world.user();
    const group = await world.group(owner, [early]);
    await call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'before-join-1', text: 'before you came' });

    const memberAdd = await emitAck(early.socket, 'groups:addMembers', { conversationId: group.id, userIds: [late.user.id] });
    expect(!memberAdd.ok && memberAdd.error.code).toBe('forbidden');
    const strangerAdd = await emitAck(owner.socket, 'groups:addMembers', { conversationId: group.id, userIds: [late.user.id] });
    expect(!strangerAdd.ok && strangerAdd.error.code).toBe('not_contact');

    await world.contacts(owner, late);
    const lateTold = waitForEvent(late.socket, 'conversation:updated', { filter: (c) => c.id === group.id });
    const earlyNew = waitForEvent(early.socket, 'message:new', { filter: (m) => m.system?.event === 'member_added' });
    const { conversation } = await call(owner.socket, 'groups:addMembers', { conversationId: group.id, userIds: [late.user.id] });
    expect(conversation.members).toHaveLength(3);
    const seenByLate = await lateTold;
    expect(seenByLate.unread).toBe(0);
    expect((await earlyNew).system?.targetIds).toEqual([late.user.id]);

    const lateHistory = await call(late.socket, 'messages:history', { conversationId: group.id });
    expect(systemEvents(lateHistory.messages)).toEqual(['member_added']);
    expect(lateHistory.messages.some((m) => m.text === 'before you came')).toBe(false);
    expect(lateHistory.hasMore).toBe(false);
    const lateSync = await call(late.socket, 'messages:sync', { since: {} });
    expect(lateSync.messages.filter((m) => m.conversationId === group.id).map((m) => m.system?.event)).toEqual(['member_added']);
  });

  it('never pushes a message stored before a member joined to that member, even when the join lands while the message waits for the disk', async () => {
    const owner = await world.user();
    const early = await world.user();
    const late = await world.user();
    const group = await world.group(owner, [early]);
    await world.contacts(owner, late);
    const { store } = world.server.server;
    // The disk holds the next send's sync until the join is stored: the window a real fsync opens.
    const sync = holdNextSync();
    try {
      const lateNew = recordEvents(late.socket, 'message:new');
      const lateReads = recordEvents(late.socket, 'read');
      const sent = call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'before-join-01', text: 'before you came' });
      // Committed (a retry would find it), though no read shows it before its sync.
      await expect.poll(() => store.messageByClientId(owner.user.id, 'before-join-01')).toBeDefined();
      // The join is stored at once; its announcement waits for the send before it (seq order).
      const added = call(owner.socket, 'groups:addMembers', { conversationId: group.id, userIds: [late.user.id] });
      await expect.poll(() => store.membership(group.id, late.user.id)).toBeDefined();
      sync.release();
      const { message } = await sent;
      await added;
      await call(early.socket, 'messages:read', { conversationId: group.id, seq: message.seq });
      const after = waitForEvent(late.socket, 'message:new', { filter: (m) => m.clientId === 'after-join-01' });
      await call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'after-join-01', text: 'welcome' });
      await after;
      expect(lateNew.map((m) => m.system?.event ?? m.clientId)).toEqual(['member_added', 'after-join-01']);
      expect(lateReads.filter((r) => r.seq < message.seq + 1)).toEqual([]);
      const history = await call(late.socket, 'messages:history', { conversationId: group.id });
      expect(history.messages.some((m) => m.id === message.id)).toBe(false);
    } finally {
      sync.restore();
    }
  });

  /** Holds the next send's durability sync until `release`: the window a slow fsync opens. */
  function holdNextSync(): { release: () => void; restore: () => void } {
    const { store } = world.server.server;
    const sync = store.syncCommitted.bind(store);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let hold = true;
    store.syncCommitted = async () => {
      if (hold) {
        hold = false;
        await held;
      }
      return sync();
    };
    return {
      release: () => release(),
      restore: () => {
        store.syncCommitted = sync;
        release();
      },
    };
  }

  it('announces a group change only after the sends stored before it: every member sees seqs in order', async () => {
    const owner = await world.user();
    const member = await world.user();
    const group = await world.group(owner, [member]);
    const { store } = world.server.server;
    const seen: string[] = [];
    member.socket.onAny((event: string, payload: { seq?: number; lastSeq?: number }) => {
      if (event === 'message:new') seen.push(`new ${payload.seq}`);
      if (event === 'conversation:updated') seen.push(`updated ${payload.lastSeq}`);
    });
    const sync = holdNextSync();
    try {
      const sent = call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'before-rename-1', text: 'first' });
      // Committed (a retry would find it), though no read shows it before its sync.
      await expect.poll(() => store.messageByClientId(owner.user.id, 'before-rename-1')).toBeDefined();
      const renamed = call(owner.socket, 'groups:rename', { conversationId: group.id, title: 'Later name' });
      await expect.poll(() => store.conversation(group.id)?.title).toBe('Later name');
      sync.release();
      const { message } = await sent;
      await renamed;
      // (The group's creation may still be arriving: only what follows it counts.)
      const fromSend = () => seen.filter((entry) => Number(entry.split(' ')[1]) >= message.seq);
      await expect.poll(() => fromSend().length).toBeGreaterThanOrEqual(3);
      // The send (stored first) before the rename's system message and its conversation update.
      expect(fromSend()).toEqual([`new ${message.seq}`, `updated ${message.seq + 1}`, `new ${message.seq + 1}`]);
      // Catching up from the highest seq seen misses nothing.
      const sinceFirst = await call(member.socket, 'messages:sync', { since: { [group.id]: message.seq - 1 } });
      expect(sinceFirst.messages.map((m) => m.seq)).toEqual([message.seq, message.seq + 1]);
    } finally {
      sync.restore();
    }
  });

  it('delivers to a member removed while a send waited for the disk every message stored before its removal', async () => {
    const owner = await world.user();
    const leaving = await world.user();
    const group = await world.group(owner, [leaving]);
    const { store } = world.server.server;
    const received = recordEvents(leaving.socket, 'message:new');
    const removedTold = waitForEvent(leaving.socket, 'conversation:removed');
    const sync = holdNextSync();
    try {
      const sent = call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'before-removal-1', text: 'you can still read this' });
      // Committed (a retry would find it), though no read shows it before its sync.
      await expect.poll(() => store.messageByClientId(owner.user.id, 'before-removal-1')).toBeDefined();
      const removed = call(owner.socket, 'groups:removeMember', { conversationId: group.id, userId: leaving.user.id });
      await expect.poll(() => store.membership(group.id, leaving.user.id)).toBeUndefined();
      sync.release();
      const { message } = await sent;
      await removed;
      await removedTold;
      // The send stored before the removal reached it (then `conversation:removed`, not the
      // removal's system message, which is for those who stay).
      expect(received.at(-1)?.clientId).toBe('before-removal-1');
      expect(received.at(-1)?.seq).toBe(message.seq);
      // And nothing after it.
      await call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'after-removal-1', text: 'gone' });
      await call(owner.socket, 'contacts:list', {});
      expect(received.some((m) => m.clientId === 'after-removal-1')).toBe(false);
    } finally {
      sync.restore();
    }
  });

  it('a group change is unread for the other members, not for the member who made it', async () => {
    const owner = await world.user();
    const member = await world.user();
    const group = await world.group(owner, [member]);
    await call(owner.socket, 'groups:rename', { conversationId: group.id, title: 'Renamed' });
    await call(owner.socket, 'groups:setRole', { conversationId: group.id, userId: member.user.id, role: 'admin' });
    const view = async (who: typeof owner) => (await call(who.socket, 'conversations:list', {})).conversations.find((c) => c.id === group.id);
    expect(await view(owner)).toMatchObject({ lastSeq: 3, readSeq: 3, unread: 0 });
    expect(await view(member)).toMatchObject({ lastSeq: 3, unread: 2 });
  });

  it('sets roles (owner only) and admins may then add, rename and remove members and other admins but not the owner', async () => {
    const owner = await world.user();
    const admin = await world.user();
    const other = await world.user();
    const group = await world.group(owner, [admin, other]);
    const byMember = await emitAck(admin.socket, 'groups:setRole', { conversationId: group.id, userId: other.user.id, role: 'admin' });
    expect(!byMember.ok && byMember.error.code).toBe('forbidden');
    const promoted = await call(owner.socket, 'groups:setRole', { conversationId: group.id, userId: admin.user.id, role: 'admin' });
    expect(promoted.conversation.members.find((m) => m.user.id === admin.user.id)?.role).toBe('admin');
    const ownerRole = await emitAck(owner.socket, 'groups:setRole', { conversationId: group.id, userId: owner.user.id, role: 'member' });
    expect(!ownerRole.ok && ownerRole.error.code).toBe('invalid_input');
    const asOwner = await emitAck(owner.socket, 'groups:setRole', { conversationId: group.id, userId: admin.user.id, role: 'owner' });
    expect(!asOwner.ok && asOwner.error.code).toBe('invalid_input');

    const renamed = await call(admin.socket, 'groups:rename', { conversationId: group.id, title: 'Renamed' });
    expect(renamed.conversation.title).toBe('Renamed');
    const memberRename = await emitAck(other.socket, 'groups:rename', { conversationId: group.id, title: 'Nope' });
    expect(!memberRename.ok && memberRename.error.code).toBe('forbidden');

    const removeOwner = await emitAck(admin.socket, 'groups:removeMember', { conversationId: group.id, userId: owner.user.id });
    expect(!removeOwner.ok && removeOwner.error.code).toBe('forbidden');
    const memberRemoves = await emitAck(other.socket, 'groups:removeMember', { conversationId: group.id, userId: admin.user.id });
    expect(!memberRemoves.ok && memberRemoves.error.code).toBe('forbidden');

    // PROTOCOL.md: removeMember is for the owner or an admin, and only the owner cannot be removed.
    await call(owner.socket, 'groups:setRole', { conversationId: group.id, userId: other.user.id, role: 'admin' });
    const removedTold = waitForEvent(other.socket, 'conversation:removed');
    const ownerSees = waitForEvent(owner.socket, 'message:new', { filter: (m) => m.system?.event === 'member_removed' });
    const removed = await call(admin.socket, 'groups:removeMember', { conversationId: group.id, userId: other.user.id });
    expect(removed.conversation.members.map((m) => m.user.id)).not.toContain(other.user.id);
    expect((await removedTold).conversationId).toBe(group.id);
    expect((await ownerSees).system).toMatchObject({ actorId: admin.user.id, targetIds: [other.user.id] });

    const history = await call(owner.socket, 'messages:history', { conversationId: group.id });
    expect(systemEvents(history.messages)).toEqual(['created', 'role_changed', 'renamed', 'role_changed', 'member_removed']);
    expect(history.messages.find((m) => m.system?.event === 'renamed')?.system?.detail).toBe('Renamed');
    expect(history.messages.find((m) => m.system?.event === 'role_changed')?.system?.detail).toBe('admin');
  });

  it('a removed member can no longer read, write, mark read or type', async () => {
    const owner = await world.user();
    const gone = await world.user();
    const group = await world.group(owner, [gone]);
    await call(owner.socket, 'groups:removeMember', { conversationId: group.id, userId: gone.user.id });
    const seen = recordEvents(gone.socket, 'message:new');
    const attempts = await Promise.all([
      emitAck(gone.socket, 'messages:send', { conversationId: group.id, clientId: 'after-removal', text: 'hello?' }),
      emitAck(gone.socket, 'messages:history', { conversationId: group.id }),
      emitAck(gone.socket, 'messages:read', { conversationId: group.id, seq: 1 }),
      emitAck(gone.socket, 'typing', { conversationId: group.id }),
      emitAck(gone.socket, 'groups:leave', { conversationId: group.id }),
    ]);
    for (const attempt of attempts) expect(!attempt.ok && attempt.error.code).toBe('not_member');
    await call(owner.socket, 'messages:send', { conversationId: group.id, clientId: 'secret-0001', text: 'not for you' });
    await call(owner.socket, 'conversations:list', {});
    // A round trip on the removed user's own socket: anything sent to it before has arrived.
    await call(gone.socket, 'contacts:list', {});
    expect(seen).toEqual([]);
    expect((await call(gone.socket, 'conversations:list', {})).conversations.map((c) => c.id)).not.toContain(group.id);
  });

  it('an owner who leaves hands ownership to the longest-standing admin, else the longest-standing member', async () => {
    const owner = await world.user();
    const first = await world.user();
    const second = await world.user();
    const group = await world.group(owner, [first, second]);
    await call(owner.socket, 'groups:setRole', { conversationId: group.id, userId: second.user.id, role: 'admin' });
    const removedTold = waitForEvent(owner.socket, 'conversation:removed');
    expect(await call(owner.socket, 'groups:leave', { conversationId: group.id })).toEqual({ ok: true });
    await removedTold;
    let view = (await call(first.socket, 'conversations:list', {})).conversations.find((c) => c.id === group.id);
    expect(view?.members.map((m) => [m.user.id, m.role])).toEqual([
      [first.user.id, 'member'],
      [second.user.id, 'owner'],
    ]);
    await call(second.socket, 'groups:leave', { conversationId: group.id });
    view = (await call(first.socket, 'conversations:list', {})).conversations.find((c) => c.id === group.id);
    expect(view?.members.map((m) => [m.user.id, m.role])).toEqual([[first.user.id, 'owner']]);
    const history = await call(first.socket, 'messages:history', { conversationId: group.id });
    expect(systemEvents(history.messages)).toEqual(['created', 'role_changed', 'member_left', 'role_changed', 'member_left', 'role_changed']);
  });

  it('refuses group operations on a direct conversation and on unknown ids', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const direct = await emitAck(a.socket, 'groups:rename', { conversationId: conversation.id, title: 'x' });
    expect(!direct.ok && direct.error.code).toBe('invalid_input');
    const unknown = await emitAck(a.socket, 'groups:rename', { conversationId: 'no-such-group', title: 'x' });
    expect(!unknown.ok && unknown.error.code).toBe('not_member');
  });

  it('holds at most 500 members when adding', async () => {
    const owner = await world.user();
    const friend = await world.user();
    await world.contacts(owner, friend);
    const group = await call(owner.socket, 'groups:create', { title: 'Big', memberIds: [friend.user.id] });
    // Fill the group directly in the store: 498 more users would take a minute to register.
    const { store } = world.server.server;
    const fillerIds: string[] = [];
    store.transaction(() => {
      for (let i = 0; i < 498; i++) {
        const id = `filler-${i}-${group.conversation.id}`;
        store.createUser({ id, username: `f${i}_${group.conversation.id.slice(0, 8)}`, displayName: `F${i}`, passwordHash: 'x', createdAt: 0 });
        store.insertMember(group.conversation.id, { userId: id, role: 'member', joinedAt: 0, joinSeq: 1, readSeq: 1 });
        fillerIds.push(id);
      }
    });
    const extra = await world.user();
    await world.contacts(owner, extra);
    const full = await emitAck(owner.socket, 'groups:addMembers', { conversationId: group.conversation.id, userIds: [extra.user.id] });
    expect(!full.ok && full.error.code).toBe('group_full');
  });
});

describe('changes of large groups', () => {
  it('are limited per actor beyond the group-change limit (over 100 members); small groups are not', async () => {
    const world = await createChatWorld({ limits: { largeGroupChangesPerUser: { burst: 3, perSecond: 0.001 }, groupChangesPerUser: { burst: 1000, perSecond: 1000 }, registrationsPerAddress: { burst: 1000, perSecond: 1000 }, registrationsTotal: { burst: 1000, perSecond: 1000 }, contactRequestsPerUser: { burst: 1000, perSecond: 1000 }, passwordHashQueue: 1000 } });
    try {
      const owner = await world.user();
      const members = await Promise.all(Array.from({ length: 100 }, () => world.user()));
      // Creating a 101-member group takes the first token.
      const big = await world.group(owner, members, 'Large');
      const { conversation: small } = await call(owner.socket, 'groups:create', { title: 'Small', memberIds: members.slice(0, 2).map((m) => m.user.id) });
      const renames = [];
      for (let i = 0; i < 3; i++) renames.push(await emitAck(owner.socket, 'groups:rename', { conversationId: big.id, title: `Large ${i}` }));
      expect(renames.map((r) => r.ok)).toEqual([true, true, false]);
      expect(!renames[2]?.ok && renames[2]?.error.code).toBe('rate_limited');
      expect(await emitAck(owner.socket, 'groups:rename', { conversationId: small.id, title: 'Still small' })).toMatchObject({ ok: true });
      // Leaving is never limited.
      expect(await emitAck(members[5]?.socket ?? owner.socket, 'groups:leave', { conversationId: big.id })).toMatchObject({ ok: true });
      // Nor is the limit stepped round by growing a small group past 100 in one add: that change
      // makes a large group, and costs what a change of one does.
      const growing = await emitAck(owner.socket, 'groups:addMembers', { conversationId: small.id, userIds: members.slice(2).map((m) => m.user.id) });
      expect(!growing.ok && growing.error.code).toBe('rate_limited');
      expect((await call(owner.socket, 'conversations:list', {})).conversations.find((c) => c.id === small.id)?.members).toHaveLength(3);
      // Growing within 100 is a small change still.
      expect(await emitAck(owner.socket, 'groups:addMembers', { conversationId: small.id, userIds: members.slice(2, 99).map((m) => m.user.id) })).toMatchObject({ ok: true });
    } finally {
      await world.close();
    }
  });
});

describe('leaving', () => {
  it('is never limited: a user over the group-change limit can still leave every group', async () => {
    const world = await createChatWorld({ limits: { groupChangesPerUser: { burst: 2, perSecond: 0.001 } } });
    try {
      const owner = await world.user();
      const member = await world.user();
      await world.contacts(owner, member);
      const groups = [];
      for (let i = 0; i < 2; i++) groups.push((await call(owner.socket, 'groups:create', { title: `G${i}`, memberIds: [member.user.id] })).conversation);
      // The member spends its own tokens (renames), then leaves both groups; the owner too.
      for (const group of groups) expect(await emitAck(member.socket, 'groups:rename', { conversationId: group.id, title: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const overLimit = await emitAck(owner.socket, 'groups:rename', { conversationId: groups[0]?.id ?? '', title: 'over' });
      expect(!overLimit.ok && overLimit.error.code).toBe('rate_limited');
      for (const group of groups) expect(await emitAck(member.socket, 'groups:leave', { conversationId: group.id })).toEqual({ ok: true });
      for (const group of groups) expect(await emitAck(owner.socket, 'groups:leave', { conversationId: group.id })).toEqual({ ok: true });
      expect((await call(owner.socket, 'conversations:list', {})).conversations.filter((c) => c.kind === 'group')).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
