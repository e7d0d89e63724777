import { describe, expect, it } from 'vitest';
import { createBridge, type IpcRendererLike } from '../../main/bridge-client';
import { type BridgeHandlers, type InvokeEventLike, type IpcMainLike, registerBridgeHandlers } from '../../main/ipc';
import { BRIDGE_CHANNELS, type DeepLink, type DesktopNotification, type StoredCredentials } from '../../protocol';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** ipcMain and ipcRenderer joined in one process, with the sender frame chosen per test. */
class FakeIpc implements IpcMainLike, IpcRendererLike {
  readonly handlers = new Map<string, Handler>();
  readonly rendererListeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  frame: InvokeEventLike['senderFrame'] = { url: 'app://wanglai/index.html', parent: null };
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: this.frame }, ...structuredClone(args));
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.rendererListeners.set(channel, [...(this.rendererListeners.get(channel) ?? []), listener]);
    return this;
  }
  /** main → renderer, as webContents.send does. */
  send(channel: string, ...args: unknown[]): void {
    for (const listener of this.rendererListeners.get(channel) ?? []) listener({ sender: 'ipc-event' }, ...structuredClone(args));
  }
}

function setup() {
  const ipc = new FakeIpc();
  const calls: string[] = [];
  let stored: StoredCredentials | null = null;
  const notifications: DesktopNotification[] = [];
  const handlers: BridgeHandlers = {
    serverUrl: () => 'http://127.0.0.1:3210',
    notify: (n) => void notifications.push(n),
    setBadgeCount: (count) => void calls.push(`badge ${count}`),
    openExternal: async (url, options) => {
      calls.push(`open ${url} ${JSON.stringify(options ?? {})}`);
      return { opened: true };
    },
    credentialsLoad: async () => stored,
    credentialsSave: async (c) => void (stored = c),
    credentialsClear: async () => void (stored = null),
  };
  registerBridgeHandlers(ipc, handlers);
  const bridge = createBridge(ipc, 'linux');
  return { ipc, bridge, calls, notifications };
}

const credentials: StoredCredentials = { serverUrl: 'http://127.0.0.1:3210', token: 't'.repeat(43), userId: 'u1' };

describe('IPC handlers', () => {
  it('handles every request channel of BRIDGE_CHANNELS', () => {
    const { ipc } = setup();
    const requestChannels = Object.entries(BRIDGE_CHANNELS)
      .filter(([name]) => name !== 'deepLink' && name !== 'notificationClick')
      .map(([, channel]) => channel);
    expect([...ipc.handlers.keys()].sort()).toEqual(requestChannels.sort());
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a subframe of our page', { url: 'app://wanglai/index.html', parent: {} }],
    ['another app:// host', { url: 'app://evil/index.html', parent: null }],
    ['a file:// page', { url: 'file:///index.html', parent: null }],
    ['a destroyed frame', null],
  ])('refuses a sender that is %s', async (_what, frame) => {
    const { ipc, calls } = setup();
    ipc.frame = frame;
    for (const channel of ipc.handlers.keys()) {
      await expect(ipc.invoke(channel, 'https://a.example/')).rejects.toThrow(/forbidden/);
    }
    expect(calls).toEqual([]);
  });

  it.each([
    [BRIDGE_CHANNELS.setBadgeCount, [-1]],
    [BRIDGE_CHANNELS.setBadgeCount, [1.5]],
    [BRIDGE_CHANNELS.setBadgeCount, ['3']],
    [BRIDGE_CHANNELS.setBadgeCount, [1, 2]],
    [BRIDGE_CHANNELS.openExternal, [42]],
    [BRIDGE_CHANNELS.openExternal, ['https://a.example/', { acceptRisk: 'yes' }]],
    [BRIDGE_CHANNELS.openExternal, ['https://a.example/', { acceptRisk: true, extra: 1 }]],
    [BRIDGE_CHANNELS.openExternal, [`https://a.example/${'x'.repeat(3000)}`]],
    [BRIDGE_CHANNELS.notify, [{ title: 'a' }]],
    [BRIDGE_CHANNELS.notify, [{ title: 'a', body: 'b', conversationId: '' }]],
    [BRIDGE_CHANNELS.credentialsSave, [{ serverUrl: 'x', token: '', userId: 'u' }]],
    [BRIDGE_CHANNELS.credentialsSave, [{ ...credentials, extra: 'x' }]],
    [BRIDGE_CHANNELS.serverUrl, ['unexpected']],
  ])('refuses bad arguments on %s: %j', async (channel, args) => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke(channel, ...args)).rejects.toThrow(/invalid_input/);
    expect(calls).toEqual([]);
  });
});

describe('the preload bridge', () => {
  it('round-trips every request through the checked handlers', async () => {
    const { bridge, calls, notifications } = setup();
    expect(bridge.platform).toBe('linux');
    expect(await bridge.serverUrl()).toBe('http://127.0.0.1:3210');
    await bridge.setBadgeCount(3);
    await bridge.notify({ title: 'Alice', body: '你好', conversationId: 'c1' });
    expect(await bridge.openExternal('https://a.example/', { acceptRisk: true })).toEqual({ opened: true });
    expect(await bridge.credentials.load()).toBeNull();
    await bridge.credentials.save(credentials);
    expect(await bridge.credentials.load()).toEqual(credentials);
    await bridge.credentials.clear();
    expect(await bridge.credentials.load()).toBeNull();
    expect(calls).toEqual(['badge 3', 'open https://a.example/ {"acceptRisk":true}']);
    expect(notifications).toEqual([{ title: 'Alice', body: '你好', conversationId: 'c1' }]);
  });

  it('refuses to send what does not validate, before it crosses', async () => {
    const { bridge, calls } = setup();
    await expect(bridge.setBadgeCount(-5)).rejects.toThrow(/badge count/);
    await expect(bridge.openExternal('x'.repeat(5000))).rejects.toThrow(/URL/);
    await expect(bridge.credentials.save({ serverUrl: '', token: '', userId: '' })).rejects.toThrow(/credentials/);
    expect(calls).toEqual([]);
  });

  it('refuses what comes back malformed', async () => {
    const ipc = new FakeIpc();
    const broken = { invoke: async () => ({ opened: 'maybe' }), on: ipc.on.bind(ipc) };
    await expect(createBridge(broken, 'darwin').openExternal('https://a.example/')).rejects.toThrow(/openExternal result/);
    expect(createBridge(broken, 'freebsd').platform).toBe('other');
  });

  it('keeps a deep link that arrived before the page subscribed, then delivers live ones', () => {
    const { ipc, bridge } = setup();
    ipc.send(BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'early' });
    ipc.send(BRIDGE_CHANNELS.deepLink, { kind: 'evil', payload: 1 });
    const seen: DeepLink[] = [];
    const unsubscribe = bridge.onDeepLink((link) => seen.push(link));
    ipc.send(BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'hi' });
    unsubscribe();
    ipc.send(BRIDGE_CHANNELS.deepLink, { kind: 'share', text: 'after' });
    expect(seen).toEqual([{ kind: 'share', text: 'early' }, { kind: 'share', text: 'hi' }]);
  });

  it('keeps the last notification click that arrived before the page subscribed (a reopened window, a page signing in)', () => {
    const { ipc, bridge } = setup();
    ipc.send(BRIDGE_CHANNELS.notificationClick, 'c1');
    ipc.send(BRIDGE_CHANNELS.notificationClick, 'c2');
    const seen: string[] = [];
    const unsubscribe = bridge.onNotificationClick((conversationId) => seen.push(conversationId));
    ipc.send(BRIDGE_CHANNELS.notificationClick, 'c3');
    unsubscribe();
    bridge.onNotificationClick((conversationId) => seen.push(`again ${conversationId}`));
    expect(seen).toEqual(['c2', 'c3']);
  });

  it('passes notification clicks to listeners without the IPC event, until unsubscribed', () => {
    const { ipc, bridge } = setup();
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onNotificationClick((...args: unknown[]) => seen.push(args));
    ipc.send(BRIDGE_CHANNELS.notificationClick, 'c1');
    ipc.send(BRIDGE_CHANNELS.notificationClick, { not: 'an id' });
    unsubscribe();
    ipc.send(BRIDGE_CHANNELS.notificationClick, 'c2');
    expect(seen).toEqual([['c1']]);
  });
});
