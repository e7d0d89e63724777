import { describe, expect, it } from 'vitest';
import { listenUrl } from '../../../server/http/listen-url';

describe('listenUrl', () => {
  it('keeps a configured host name as written and tells the bound port', () => {
    expect(listenUrl('localhost', { address: '127.0.0.1', family: 'IPv4', port: 40123 })).toBe('http://localhost:40123');
    expect(listenUrl('chat.internal', { address: '10.0.0.5', family: 'IPv4', port: 3210 })).toBe('http://chat.internal:3210');
  });

  it('prints an IP literal as bound, IPv6 in brackets', () => {
    expect(listenUrl('127.0.0.1', { address: '127.0.0.1', family: 'IPv4', port: 3210 })).toBe('http://127.0.0.1:3210');
    expect(listenUrl('0.0.0.0', { address: '0.0.0.0', family: 'IPv4', port: 3210 })).toBe('http://0.0.0.0:3210');
    expect(listenUrl('::1', { address: '::1', family: 'IPv6', port: 3210 })).toBe('http://[::1]:3210');
    expect(listenUrl('0:0:0:0:0:0:0:1', { address: '::1', family: 'IPv6', port: 3210 })).toBe('http://[::1]:3210');
  });
});
