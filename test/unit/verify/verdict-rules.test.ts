/** The verdict rules of PROTOCOL.md §4 on adversarial vectors, rule by rule. */
import { describe, expect, it, vi } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

const engine = createVerdictEngine({
  merchants: [
    { id: 'tb', name: 'Taobao', domains: ['taobao.com', 'tmall.com'], status: 'verified' },
    { id: 'jd', name: 'JD', domains: ['jd.com'], status: 'verified' },
    { id: 'shop', name: 'Shop', domains: ['shop.com'], status: 'verified' },
    { id: 'uk', name: 'UK Books', domains: ['books.co.uk'], status: 'verified' },
    { id: 'gh', name: 'Alice', domains: ['alice.github.io'], status: 'verified' },
    { id: 'cn', name: '淘宝网商城', domains: ['xn--czru2ds1em3yb5t.com'], status: 'verified' },
    { id: 'sub', name: 'Sub', domains: ['shop.example.org'], status: 'verified' },
    { id: 'sus', name: 'Fake Shop', domains: ['fakeshop.net'], status: 'suspended' },
    { id: 'pen', name: 'New Shop', domains: ['newshop.cn', 'taobao-fans.org'], status: 'pending' },
  ],
  blocked: ['evil.tld', 'phish.blogspot.com', 'bad.co.uk'],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

const summary = (url: string): string => {
  const v = verdict(url);
  return [v.verdict, v.reason].filter(Boolean).join(' ');
};

describe('rule 1: only http and https URLs that parse', () => {
  it.each(['', 'taobao.com', 'javascript:alert(1)', 'ftp://taobao.com/', 'file:///etc/passwd', 'data:text/html,x', 'https://', 'http://[::1', 'http://1.2.3.09/', 'https://exa mple.com/'])(
    'refuses %j',
    (url) => {
      const result = engine.verdict(url);
      expect(result.ok ? result.value : result.error.code).toBe('invalid_input');
    },
  );
});

describe('rule 1: a URL that parses is never refused', () => {
  it.each(['https://./', 'https://%2e/', 'https://。/'])('gives %s a verdict', (url) => {
    expect(verdict(url)).toMatchObject({ verdict: 'unverified', host: '.' });
  });
});

describe('rule 2: credentials in the URL', () => {
  it.each(['https://shop.com@evil.tld/', 'https://user:pass@taobao.com/', 'https://:secret@taobao.com/', 'https://@taobao.com/', 'http://taobao.com%40evil.tld@evil.tld/'])(
    'blocks %s as deceptive',
    (url) => expect(summary(url)).toBe('blocked deceptive_url'),
  );

  it('names the real host', () => {
    expect(verdict('https://taobao.com@evil.tld/')).toMatchObject({ host: 'evil.tld', registrableDomain: 'evil.tld' });
  });

  it('comes before the IP rule', () => expect(summary('http://a@127.0.0.1/')).toBe('blocked deceptive_url'));
});

describe('rule 3: normalised hosts, IP addresses', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://10.1/',
    'http://0/',
    'http://127.0.0.1./',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[fe80::1%25eth0]/',
    'https://[2001:db8::1]:8443/x',
    'http://１２７.０.０.１/',
  ])('%s is an IP host', (url) => {
    const result = engine.verdict(url);
    // A zone id does not parse as a URL host at all: that is refused before any verdict.
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      return;
    }
    expect(result.value).toMatchObject({ verdict: 'unverified', reason: 'ip_host' });
  });

  it('lower-cases, removes the trailing dot and uses punycode', () => {
    expect(verdict('https://WWW.TaoBao.COM./x')).toMatchObject({ verdict: 'verified', host: 'www.taobao.com', registrableDomain: 'taobao.com' });
    expect(verdict('https://淘宝网商城.com/')).toMatchObject({ verdict: 'verified', host: 'xn--czru2ds1em3yb5t.com' });
    expect(verdict('https://tmall。com/')).toMatchObject({ verdict: 'verified', host: 'tmall.com' });
    expect(verdict('https://sh%6fp.com/')).toMatchObject({ verdict: 'verified', host: 'shop.com' });
  });
});

describe('rule 4: registrable domain from the PSL, private section included', () => {
  it.each([
    ['https://a.b.books.co.uk/', 'books.co.uk'],
    ['https://alice.github.io/x', 'alice.github.io'],
    ['https://bob.github.io/', 'bob.github.io'],
    ['https://x.blogspot.com/', 'x.blogspot.com'],
    ['https://www.example.com.cn/', 'example.com.cn'],
    ['https://a.b.c.unknowntld/', 'c.unknowntld'],
  ])('%s → %s', (url, registrable) => expect(verdict(url).registrableDomain).toBe(registrable));

  it('treats a bare suffix or a single label as unverified', () => {
    expect(verdict('https://github.io/')).toMatchObject({ verdict: 'unverified', registrableDomain: 'github.io' });
    expect(verdict('http://localhost:3000/')).toMatchObject({ verdict: 'unverified', host: 'localhost' });
    expect(verdict('https://co.uk/')).toMatchObject({ verdict: 'unverified' });
  });

  it('does not give one github.io site the verdict of another', () => {
    expect(summary('https://alice.github.io/')).toBe('verified');
    expect(summary('https://carol.github.io/')).toBe('unverified');
  });
});

describe('rule 5: blocklist', () => {
  it.each(['https://evil.tld/', 'https://a.b.evil.tld/x', 'https://EVIL.tld./', 'https://phish.blogspot.com/', 'https://x.bad.co.uk/'])('blocks %s', (url) =>
    expect(summary(url)).toBe('blocked phishing'),
  );

  it('names the listed domain and leaves neighbours alone', () => {
    expect(verdict('https://login.evil.tld/')).toMatchObject({ imitates: 'evil.tld' });
    expect(summary('https://notevil.tld/')).toBe('unverified');
    expect(summary('https://other.blogspot.com/')).toBe('unverified');
  });
});

describe('rules 5 and 6 under a private public suffix', () => {
  const local = createVerdictEngine({ merchants: [], blocked: ['amazonaws.com'] });
  const of = (url: string, on = local): string => {
    const result = on.verdict(url);
    return result.ok ? [result.value.verdict, result.value.reason].filter(Boolean).join(' ') : result.error.code;
  };

  it('blocks hosts under a blocked domain even where the PSL makes them registrable or a suffix', () => {
    // s3.amazonaws.com is on the PSL's private section: evil.s3.amazonaws.com is its own registrable domain.
    expect(of('https://evil.s3.amazonaws.com/')).toBe('blocked phishing');
    expect(of('https://s3.amazonaws.com/')).toBe('blocked phishing');
    expect(of('https://www.amazonaws.com/')).toBe('blocked phishing');
    expect(local.verdict('https://evil.s3.amazonaws.com/')).toMatchObject({ ok: true, value: { imitates: 'amazonaws.com', registrableDomain: 'evil.s3.amazonaws.com' } });
  });

  it('gives a merchant status to hosts under its domain past a private suffix', () => {
    const merchants = createVerdictEngine({
      merchants: [
        { id: 'aws', name: 'AWS', domains: ['amazonaws.com'], status: 'suspended' },
        { id: 'blog', name: 'Blog', domains: ['blogspot.com'], status: 'verified' },
      ],
      blocked: [],
    });
    expect(of('https://evil.s3.amazonaws.com/', merchants)).toBe('blocked suspended');
    expect(of('https://s3.amazonaws.com/', merchants)).toBe('blocked suspended');
    // Verified does not carry past a private suffix: someone's bucket or blog is not the merchant's page.
    const verified = createVerdictEngine({ merchants: [{ id: 'aws', name: 'AWS', domains: ['amazonaws.com'], status: 'verified' }], blocked: [] });
    expect(of('https://www.amazonaws.com/', verified)).toBe('verified');
    expect(of('https://bucket.s3.amazonaws.com/', verified)).toBe('unverified');
    expect(of('https://s3.amazonaws.com/', verified)).toBe('unverified');
    expect(of('https://someone.blogspot.com/', merchants)).toBe('unverified');
    expect(of('https://amazonaws.org/', merchants)).toBe('unverified');
  });
});

describe('rule 6: merchant domains', () => {
  it('verifies a merchant domain and its subdomains', () => {
    expect(verdict('https://item.taobao.com/item.htm?id=1')).toMatchObject({ verdict: 'verified', merchant: { id: 'tb', name: 'Taobao', verified: true } });
    expect(summary('https://detail.tmall.com/')).toBe('verified');
    expect(summary('https://deep.a.books.co.uk/')).toBe('verified');
    expect(summary('https://shop.example.org/p')).toBe('verified');
    expect(summary('https://example.org/')).toBe('unverified');
    expect(summary('http://taobao.com:8080/')).toBe('verified');
  });

  it('blocks a suspended merchant and marks a pending one', () => {
    expect(verdict('https://fakeshop.net/')).toMatchObject({ verdict: 'blocked', reason: 'suspended', merchant: { id: 'sus', verified: false } });
    expect(verdict('https://www.newshop.cn/')).toMatchObject({ verdict: 'unverified', reason: 'pending', merchant: { id: 'pen', verified: false } });
  });

  it('never calls a pending merchant a lookalike of a verified one', () => {
    expect(summary('https://taobao-fans.org/')).toBe('unverified pending');
  });
});

describe('rule 7: lookalikes', () => {
  it.each([
    ['homograph with a Cyrillic а', 'https://tаobao.com/'],
    ['all-Cyrillic homograph', 'https://јd.com/'],
    ['accented letter', 'https://taobáo.com/'],
    ['digit for a letter', 'https://ta0bao.com/'],
    ['rn for m', 'https://trnall.com/'],
    ['brand under another suffix', 'https://taobao.net/'],
    ['brand under another public suffix', 'https://taobao.com.cn/'],
    ['short brand under another suffix', 'https://jd.hk/'],
    ['brand on a private suffix', 'https://taobao.github.io/'],
    ['brand as a subdomain', 'https://taobao.com.evil-shop.tld/'],
    ['brand with words', 'https://taobao-secure.top/'],
    ['brand and suffix as words', 'https://shop-com-secure.tld/'],
    ['protocol example', 'https://shop-secure.tld/'],
    ['short brand with its suffix', 'https://jd-com-login.tld/'],
    ['omission', 'https://tobao.com/'],
    ['insertion', 'https://taobxao.com/'],
    ['repetition', 'https://taobaao.com/'],
    ['keyboard replacement', 'https://taobai.com/'],
    ['bit flip', 'https://taobco.com/'],
    ['transposition', 'https://toabao.com/'],
    ['vowel swap', 'https://taobeo.com/'],
    ['hyphen added', 'https://tao-bao.com/'],
    ['label split by a dot', 'https://tao.bao.com/'],
    ['brand carried with an underscore', 'https://shop_secure.evil.top/'],
    ['brand and suffix carried with underscores', 'https://shop_com_login.evil.top/'],
    ['brand carried with a plus', 'https://taobao+login.evil.top/'],
    ['brand carried with a tilde', 'https://login~taobao.top/'],
    ['brand carried with an escaped underscore', 'https://shop%5Fsecure.top/'],
    ['Chinese brand with a character left out', 'https://淘宝商城.com/'],
    ['Chinese brand with two characters swapped', 'https://淘网宝商城.com/'],
    ['one edit from a 5-letter brand', 'https://mall.com/'],
    ['keyboard neighbour in a brand under a public suffix', 'https://nooks.co.uk/'],
  ])('%s: %s', (_kind, url) => expect(summary(url)).toBe('blocked lookalike'));

  it('names the imitated verified domain', () => {
    expect(verdict('https://tаobao.com/')).toMatchObject({ imitates: 'taobao.com', host: 'xn--tobao-4ve.com' });
    expect(verdict('https://shop-secure.tld/').imitates).toBe('shop.com');
  });

  it('blocks a label mixing scripts even without a brand', () => {
    expect(verdict('https://xn--exmple-4nf.com/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
    expect(verdict('https://xn--exmple-4nf.com/').imitates).toBeUndefined();
  });

  it.each([
    'https://ample.com/',
    'https://taobaq-unrelated-x.com/',
    'https://example.com/',
    'https://bücher.de/',
    'https://日本語.jp/',
    'https://中国银行.cn/',
    'https://jb.com/',
    'https://jdsports.com/',
    'https://mail.com/',
    'https://looks.com/',
    // A split by a dot is a typo, and typos count only around brands of 5 characters or more.
    'https://s.hop.com/',
    'https://sh.op.com/',
    'https://j.d.com/',
    'https://shopping_mall.top/',
  ])('leaves %s alone', (url) => expect(summary(url)).toBe('unverified'));
});

describe('updates', () => {
  it('follows merchant changes and blocklist writes', () => {
    const local = createVerdictEngine({ merchants: [{ id: 'a', name: 'A', domains: ['alibaba.com'], status: 'verified' }], blocked: [] });
    const s = (url: string) => {
      const r = local.verdict(url);
      return r.ok ? [r.value.verdict, r.value.reason].filter(Boolean).join(' ') : r.error.code;
    };
    expect(s('https://alibaba.net/')).toBe('blocked lookalike');
    local.putMerchant({ id: 'a', name: 'A', domains: ['alibaba.com'], status: 'suspended' });
    expect(s('https://alibaba.com/')).toBe('blocked suspended');
    expect(s('https://alibaba.net/')).toBe('unverified');
    local.putMerchant({ id: 'a', name: 'A', domains: ['1688.com'], status: 'verified' });
    expect(s('https://alibaba.com/')).toBe('unverified');
    expect(s('https://1688.com/')).toBe('verified');
    local.addBlocked('evil.tld');
    expect(s('https://x.evil.tld/')).toBe('blocked phishing');
    local.removeBlocked('evil.tld');
    expect(s('https://x.evil.tld/')).toBe('unverified');
  });
});

// A host no DNS name could be (over 253 characters) is still judged: its parents within 253
// characters by rules 5 and 6, its last 253 characters by rule 7. Looked up whole, 30,000 labels
// took 130 ms a verdict on the chat server's event loop (an audit).
describe('hosts longer than any DNS name', () => {
  const padded = (tail: string): string => `https://${'a.'.repeat(30_000)}${tail}/`;

  it('are blocked under a blocked domain and take the status of a merchant above them', () => {
    expect(summary(padded('evil.tld'))).toBe('blocked phishing');
    expect(verdict(padded('evil.tld'))).toMatchObject({ imitates: 'evil.tld', registrableDomain: 'evil.tld' });
    expect(summary(padded('fakeshop.net'))).toBe('blocked suspended');
    expect(summary(padded('newshop.cn'))).toBe('unverified pending');
    expect(verdict(padded('shop.com'))).toMatchObject({ verdict: 'verified', merchant: { id: 'shop' } });
  });

  it('are lookalikes by their last labels, and unverified otherwise', () => {
    expect(summary(padded('sh0p.com'))).toBe('blocked lookalike');
    expect(summary(padded('taobao.com.evil-login.top'))).toBe('blocked lookalike');
    expect(summary(padded('example.org'))).toBe('unverified');
    expect(summary(`https://${'a'.repeat(60_000)}.com/`)).toBe('unverified');
  });

  it('report the whole host, as for any other', () => {
    expect(verdict(padded('example.org')).host).toBe(`${'a.'.repeat(30_000)}example.org`);
  });

  it('look up no name longer than a domain can be: each lookup hashes its key whole', () => {
    const setLookups = vi.spyOn(Set.prototype, 'has');
    const mapLookups = vi.spyOn(Map.prototype, 'get');
    try {
      verdict(padded('example.org'));
      const long = [...setLookups.mock.calls, ...mapLookups.mock.calls].filter(([key]) => typeof key === 'string' && key.length > 253);
      expect(long).toHaveLength(0);
    } finally {
      setLookups.mockRestore();
      mapLookups.mockRestore();
    }
  });
});
