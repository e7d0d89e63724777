import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, resolveConfig } from '../../main/config';
import { buildCsp } from '../../main/csp';

describe('resolveConfig', () => {
  it('prefers the flag, then the environment, then the default', () => {
    expect(resolveConfig(['electron', '.', '--server-url', 'https://chat.example:8443/'], { WANGLAI_SERVER_URL: 'http://x.example' })).toEqual({
      ok: true,
      value: { serverUrl: 'https://chat.example:8443' },
    });
    expect(resolveConfig(['--server-url=http://127.0.0.1:4000'], {})).toEqual({ ok: true, value: { serverUrl: 'http://127.0.0.1:4000' } });
    expect(resolveConfig([], { WANGLAI_SERVER_URL: 'https://10.0.0.2:3210' })).toEqual({ ok: true, value: { serverUrl: 'https://10.0.0.2:3210' } });
    expect(resolveConfig([], {})).toEqual({ ok: true, value: { serverUrl: DEFAULT_SERVER_URL } });
  });

  it.each(['ftp://chat.example', 'javascript:alert(1)', 'http://u:p@chat.example', 'http://chat.example/app', 'http://chat.example/?x=1', 'not a url'])(
    'refuses %s',
    (url) => {
      const result = resolveConfig(['--server-url', url], {});
      expect(result.ok).toBe(false);
    },
  );

  it('takes plain http only for a server on this computer, unless a test machine allows it', () => {
    for (const local of ['http://127.0.0.1:3210', 'http://127.9.0.1:3210', 'http://localhost:3210', 'http://[::1]:3210', 'http://0.0.0.0:3210', 'http://[::]:3210']) {
      expect(resolveConfig(['--server-url', local], {}).ok).toBe(true);
    }
    // A *.localhost name is looked up in DNS by Node's fetch like any other: it may be anywhere.
    for (const remote of ['http://10.0.0.2:3210', 'http://chat.example', 'http://127.0.0.1.evil.example', 'http://app.localhost', 'http://evil.localhost:3210']) {
      const refused = resolveConfig(['--server-url', remote], {});
      expect(!refused.ok && refused.error.message).toMatch(/must use https/);
      expect(resolveConfig(['--server-url', remote], { WANGLAI_ALLOW_INSECURE_SERVER: '1' }).ok).toBe(true);
    }
  });

  it('refuses a flag without a value', () => {
    expect(resolveConfig(['--server-url'], {}).ok).toBe(false);
  });

  // Whichever copy won, the other was someone's intent: the token must not go to a guess.
  it.each([
    [['--server-url', 'http://127.0.0.1:3210', '--server-url', 'https://evil.example']],
    [['--server-url', 'https://evil.example', '--server-url', 'http://127.0.0.1:3210']],
    [['--server-url=https://evil.example', '--server-url', 'http://127.0.0.1:1']],
    [['--server-url=http://127.0.0.1:3210', '--server-url=http://127.0.0.1:3210']],
  ])('refuses a repeated flag: %j', (argv) => {
    expect(resolveConfig(argv, {})).toEqual({ ok: false, error: { code: 'invalid_input', message: '--server-url: given more than once; give it once' } });
  });

  it('refuses port 0, where no server can listen', () => {
    for (const url of ['http://127.0.0.1:0', 'https://chat.example:0', 'http://localhost:00']) {
      const refused = resolveConfig(['--server-url', url], {});
      expect(!refused.ok && refused.error.message).toMatch(/^--server-url: port 0 /);
    }
    expect(resolveConfig(['--server-url', 'http://127.0.0.1:1'], {}).ok).toBe(true);
  });

  it('names the flag or the variable the bad value came from', () => {
    const message = (argv: string[], env: Record<string, string>): string | false => {
      const result = resolveConfig(argv, env);
      return !result.ok && result.error.message;
    };
    expect(message(['--server-url', 'ftp://x'], {})).toMatch(/^--server-url: expected an http\(s\) origin/);
    expect(message([], { WANGLAI_SERVER_URL: 'ftp://x' })).toMatch(/^WANGLAI_SERVER_URL: expected an http\(s\) origin/);
    expect(message(['--server-url', 'http://10.0.0.5:3210'], {})).toMatch(/^--server-url: http:\/\/10\.0\.0\.5:3210 must use https/);
    expect(message([], { WANGLAI_SERVER_URL: 'http://10.0.0.5:3210' })).toMatch(/^WANGLAI_SERVER_URL: http:\/\/10\.0\.0\.5:3210 must use https/);
    expect(message([], { WANGLAI_SERVER_URL: 'http://127.0.0.1:0' })).toMatch(/^WANGLAI_SERVER_URL: port 0 /);
    expect(message(['--server-url'], {})).toBe('--server-url: needs a URL');
  });

  it('reads WANGLAI_ALLOW_INSECURE_SERVER as 0 or 1, trimmed like the other variables', () => {
    const remote = ['--server-url', 'http://10.0.0.2:3210'];
    for (const yes of ['1', ' 1', '1\n']) expect(resolveConfig(remote, { WANGLAI_ALLOW_INSECURE_SERVER: yes })).toEqual({ ok: true, value: { serverUrl: 'http://10.0.0.2:3210' } });
    for (const no of ['0', ' 0 ', '', '  ']) expect(resolveConfig(remote, { WANGLAI_ALLOW_INSECURE_SERVER: no }).ok).toBe(false);
    // Any other value is refused even where it would change nothing, so the typo shows before it matters.
    for (const bad of ['yes', 'true', '2', '01']) {
      for (const argv of [remote, ['--server-url', 'https://chat.example'], []]) {
        expect(resolveConfig(argv, { WANGLAI_ALLOW_INSECURE_SERVER: bad })).toEqual({
          ok: false,
          error: { code: 'invalid_input', message: `WANGLAI_ALLOW_INSECURE_SERVER: expected 0 or 1, got "${bad}"` },
        });
      }
    }
  });
});

describe('buildCsp', () => {
  it('allows only our own code, and the chat server for connections and images', () => {
    const csp = buildCsp('http://127.0.0.1:3210');
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(['http://127.0.0.1:3210', 'ws://127.0.0.1:3210']);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'http://127.0.0.1:3210']);
    for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(directives.get(name)).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe');
  });

  it('pairs https with wss', () => {
    expect(buildCsp('https://chat.example')).toContain('connect-src https://chat.example wss://chat.example');
  });
});
