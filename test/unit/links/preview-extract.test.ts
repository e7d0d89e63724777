import { describe, expect, it } from 'vitest';
import { cleanCurrency, cleanPrice, cleanText, decodeHtml, extractPreview, extractPreviewYielding } from '../../../server/links/preview-extract';

const BASE = 'https://jade-garden.shop/products/teapot';
const doc = (head: string, body = ''): string => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const ld = (v: unknown): string => `<script type="application/ld+json">${typeof v === 'string' ? v : JSON.stringify(v)}</script>`;

describe('extractPreview: title, description, image', () => {
  it('prefers og:title, then twitter:title, then <title>', () => {
    expect(extractPreview(doc('<title>T</title><meta name="twitter:title" content="TW"><meta property="og:title" content="OG">'), BASE).title).toBe('OG');
    expect(extractPreview(doc('<title>T</title><meta name="twitter:title" content="TW">'), BASE).title).toBe('TW');
    expect(extractPreview(doc('<title> 青玉 &amp; 茶壶 </title>'), BASE).title).toBe('青玉 & 茶壶');
  });

  it('ignores an svg <title> and empty meta values', () => {
    expect(extractPreview(doc('<meta property="og:title" content="  ">', '<svg><title>icon</title></svg><title>late</title>'), BASE).title).toBe('late');
  });

  it('falls back past a title that cleans to nothing: a blank <title>, an og:title of only invisible characters', () => {
    const kettle = ld({ '@type': 'Product', name: 'LD Only Kettle', offers: { price: '55.00', priceCurrency: 'EUR' } });
    for (const blank of ['<title></title>', '<title>  </title>', '<title>&#8203;</title>']) {
      expect(extractPreview(doc(`${blank}${kettle}`), BASE).title, blank).toBe('LD Only Kettle');
    }
    for (const invisible of ['&#8203;', '&#8288;', '\u200b\u2060', '&#x200B; &#xFEFF;']) {
      expect(extractPreview(doc(`<title>Real title</title><meta property="og:title" content="${invisible}">`), BASE).title, invisible).toBe('Real title');
      expect(extractPreview(doc(`<meta property="og:title" content="${invisible}"><meta name="twitter:title" content="TW">`), BASE).title, invisible).toBe('TW');
    }
    expect(extractPreview(doc('<meta property="og:description" content="&#8203;"><meta name="description" content="plain">'), BASE).description).toBe('plain');
  });

  it('takes the description from og, twitter or the description meta', () => {
    expect(extractPreview(doc('<meta name="description" content="plain">'), BASE).description).toBe('plain');
    expect(extractPreview(doc('<meta name="description" content="plain"><meta property="og:description" content="og">'), BASE).description).toBe('og');
  });

  it('resolves the image against the final URL and keeps only http(s)', () => {
    expect(extractPreview(doc('<meta property="og:image" content="../images/a.png">'), BASE).image).toBe('https://jade-garden.shop/images/a.png');
    expect(extractPreview(doc('<meta property="og:image" content="//cdn.example/a.png">'), BASE).image).toBe('https://cdn.example/a.png');
    expect(extractPreview(doc('<meta property="og:image" content="javascript:alert(1)">'), BASE).image).toBeUndefined();
    expect(extractPreview(doc('<meta property="og:image" content="data:image/png;base64,AAAA">'), BASE).image).toBeUndefined();
    expect(extractPreview(doc(ld({ '@type': 'Product', image: [{ url: '/p.jpg' }] })), BASE).image).toBe('https://jade-garden.shop/p.jpg');
  });

  it('strips control and bidi characters and bounds the lengths', () => {
    const preview = extractPreview(doc(`<title>a\u0007b\u202ec\u200bd\n\n e</title><meta name="description" content="${'说'.repeat(900)}">`), BASE);
    expect(preview.title).toBe('abcd e');
    expect(Array.from(preview.description ?? '')).toHaveLength(500);
    expect(Array.from(cleanText('x'.repeat(300), 200) ?? '')).toHaveLength(200);
  });

  it('never reports the site name the page claims', () => {
    const preview = extractPreview(doc('<meta property="og:site_name" content="Official Store"><title>x</title>'), BASE);
    expect(JSON.stringify(preview)).not.toContain('Official Store');
    expect(Object.keys(preview)).toEqual(['title']);
  });

  it('survives broken markup', () => {
    expect(extractPreview('<title>cut short', BASE)).toEqual({ title: 'cut short' }); // a page cut at the cap
    expect(extractPreview('<<<meta property="og:title" content="x"', BASE)).toEqual({});
    expect(extractPreview('', BASE)).toEqual({});
    expect(extractPreview(doc('<meta property="og:title" content="ok">', '<title>ignored second</title>'.repeat(3)), BASE).title).toBe('ok');
  });
});

describe('extractPreview: invisible characters', () => {
  const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
  // Format (Cf) characters the old hand-written list let through, then the ones it already
  // removed, then controls (Cc) that are not separators.
  const missedBefore = [
    ...range(0x2060, 0x2064), // word joiner, invisible function application/times/separator/plus
    ...range(0x206a, 0x206f), // deprecated format characters
    '\u00ad', // soft hyphen
    '\u180e', // Mongolian vowel separator
    '\u{e0001}', // language tag
    ...range(0xe0020, 0xe007f), // tag characters
    ...range(0xfff9, 0xfffb), // interlinear annotation
    ...range(0x1d173, 0x1d17a), // musical beam and slur controls
    '\u0600', '\u06dd', '\u070f', '\u08e2', '\u{110bd}', '\u{13430}', '\u{1bca0}',
  ];
  const removedBefore = [...range(0x200b, 0x200f), ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), '\u061c', '\ufeff'];
  const controls = ['\u0001', '\u0007', '\u001b', '\u007f', '\u0080', '\u009f'];
  const cases = [...missedBefore, ...removedBefore, ...controls].map((c) => [hex(c), c]);

  it.each(cases)('removes U+%s from og:title, og:description, <title> and the JSON-LD name', (_, c) => {
    const fromMeta = extractPreview(doc(`<meta property="og:title" content="${c}Jade${c}Tea${c}pot${c}"><meta property="og:description" content="青${c}玉 ${c} 茶壶">`), BASE);
    expect(fromMeta.title).toBe('JadeTeapot');
    expect(fromMeta.description).toBe('青玉 茶壶');
    expect(extractPreview(doc(`<meta name="twitter:description" content="a${c}b">`), BASE).description).toBe('ab');
    expect(extractPreview(doc(`<title>${c}Jade${c}Teapot</title>`), BASE).title).toBe('JadeTeapot');
    const fromJsonLd = extractPreview(doc(ld({ '@type': 'Product', name: `${c}Jade${c}Teapot${c}`, offers: { price: '1', priceCurrency: 'CNY' } })), BASE);
    expect(fromJsonLd.title).toBe('JadeTeapot');
    expect(cleanText(c, 10)).toBeUndefined();
  });

  it('removes format characters written as character references', () => {
    const preview = extractPreview(doc('<meta property="og:title" content="Jade&#x2060;Tea&shy;pot&#xE0041;&#x200D;"><meta property="og:description" content="a&#x202E;b&#x1D173;c">'), BASE);
    expect(preview).toEqual({ title: 'JadeTeapot', description: 'abc' });
  });

  it('makes separating controls spaces, so words stay apart', () => {
    expect(cleanText('a\tb\nc\rd\u000be\u000cf\u001cg\u001fh\u0085i', 100)).toBe('a b c d e f g h i');
    const fromJsonLd = extractPreview(doc(ld({ '@type': 'Product', name: 'Jade\tCeladon\n\nTeapot' })), BASE);
    expect(fromJsonLd.title).toBe('Jade Celadon Teapot');
  });

  it.each([
    ['CJK', '青玉茶壶 西湖龙井 試飲裝 お茶 한국어'],
    ['emoji (skin tone, flag, keycaps and variation selectors included)', '🍵 😀 👍🏽 🇨🇳 1\ufe0f\u20e3 \u2764\ufe0f #\ufe0f\u20e3'],
    ['accented, precomposed and combining', 'Café crème brûlée — Cafe\u0301 Ελληνικά Привет'],
    ['right-to-left and Indic scripts', 'مرحبا שלום नमस्ते'],
  ])('leaves %s text as it is', (_, text) => {
    const preview = extractPreview(doc(`<meta property="og:title" content="${text}"><meta property="og:description" content="${text}">`), BASE);
    expect(preview).toEqual({ title: text, description: text });
    expect(extractPreview(doc(ld({ '@type': 'Product', name: text })), BASE).title).toBe(text);
  });

  it('splits a ZWJ emoji sequence into its emoji (U+200D is a format character, removed as before)', () => {
    expect(cleanText('👨\u200d👩\u200d👧 family', 50)).toBe('👨👩👧 family');
  });
});

describe('extractPreview: prices', () => {
  const price = (head: string) => {
    const { price: p, currency } = extractPreview(doc(head), BASE);
    return p === undefined ? undefined : `${p} ${currency}`;
  };

  it('reads a schema.org Product offer', () => {
    expect(price(ld({ '@context': 'https://schema.org', '@type': 'Product', offers: { price: '268.00', priceCurrency: 'CNY' } }))).toBe('268.00 CNY');
  });

  it('reads @graph arrays, type arrays, full type URLs and arrays of offers', () => {
    expect(price(ld({ '@graph': [{ '@type': 'WebPage' }, { '@type': ['Thing', 'Product'], offers: [{ price: 'x' }, { price: 459, priceCurrency: 'cny' }] }] }))).toBe('459 CNY');
    expect(price(ld([{ '@type': 'BreadcrumbList' }, { '@type': 'http://schema.org/Product', offers: { '@type': 'AggregateOffer', lowPrice: '9.9', priceCurrency: 'USD' } }]))).toBe('9.9 USD');
    expect(price(ld({ '@type': 'Product', offers: { priceSpecification: { price: '12', priceCurrency: 'EUR' } } }))).toBe('12 EUR');
    expect(price(ld({ '@type': 'WebPage', mainEntity: { '@type': 'Product', offers: { price: '1', priceCurrency: 'JPY' } } }))).toBe('1 JPY');
  });

  it('falls back to product:price and og:price tags', () => {
    expect(price('<meta property="product:price:amount" content="88"><meta property="product:price:currency" content="CNY">')).toBe('88 CNY');
    expect(price('<meta property="og:price:amount" content="5.50"><meta property="og:price:currency" content="HKD">')).toBe('5.50 HKD');
    expect(price(ld('{broken json') + '<meta property="product:price:amount" content="3"><meta property="product:price:currency" content="CNY">')).toBe('3 CNY');
  });

  it.each(['1,299.00', '¥268', '12.', '.5', '1.2.3', '-5', '1e3', '٣٣', '１２', ' ', '12 34', 'NaN', '1'.repeat(13), '1.23456'])(
    'refuses the price %j',
    (p) => {
      expect(price(`<meta property="product:price:amount" content="${p}"><meta property="product:price:currency" content="CNY">`)).toBeUndefined();
      expect(cleanPrice(p)).toBeUndefined();
    },
  );

  it.each([[-1], [Number.NaN], [Infinity], [1e21], [0.1 + 0.2]])('refuses the numeric price %d', (p) => expect(cleanPrice(p)).toBeUndefined());

  it.each(['RMB', 'XXX', 'XTS', 'XAU', 'BTC', 'CN', 'CNYY', 'HRK', 'BGN', 'C\u200bNY', '', '¥'])('refuses the currency %j', (c) => {
    expect(cleanCurrency(c)).toBeUndefined();
    expect(price(`<meta property="product:price:amount" content="10"><meta property="product:price:currency" content="${c}">`)).toBeUndefined();
  });

  it('gives no price without a currency, and no currency without a price', () => {
    expect(extractPreview(doc('<meta property="product:price:amount" content="10">'), BASE)).toEqual({});
    expect(extractPreview(doc(ld({ '@type': 'Product', offers: { priceCurrency: 'CNY' } })), BASE)).toEqual({});
  });

  it('is not fooled by deeply nested or huge JSON-LD', () => {
    let deep: unknown = { '@type': 'Product', offers: { price: '1', priceCurrency: 'CNY' } };
    for (let i = 0; i < 50; i++) deep = { '@graph': [deep] };
    expect(price(ld(deep))).toBeUndefined();
    const many = Array.from({ length: 5000 }, () => ({ '@type': 'Thing' }));
    expect(price(ld([...many, { '@type': 'Product', offers: { price: '1', priceCurrency: 'CNY' } }]))).toBeUndefined();
  });
});

describe('decodeHtml', () => {
  it('decodes GBK pages named in the header or a meta tag', () => {
    const gbk = Buffer.from([0xc7, 0xe0, 0xd3, 0xf1]); // 青玉
    expect(decodeHtml(Buffer.concat([Buffer.from('<title>'), gbk]), 'text/html; charset=GBK')).toBe('<title>青玉');
    expect(decodeHtml(Buffer.concat([Buffer.from('<meta charset="gb2312"><title>'), gbk]), 'text/html')).toContain('青玉');
  });

  it('falls back to UTF-8 for unknown labels', () => {
    expect(decodeHtml(Buffer.from('<title>茶</title>'), 'text/html; charset=x-nonsense')).toBe('<title>茶</title>');
  });
});

describe('extractPreviewYielding', () => {
  it('reads the same fields across slice boundaries, surrogate pairs and entities included', async () => {
    const html = doc(
      `<title>茶 🍵 &amp; 壶</title><meta property="og:image" content="/a.png">${ld({ '@type': 'Product', offers: { price: '268.00', priceCurrency: 'CNY' } })}`,
      '<p>x</p>'.repeat(2000),
    );
    const whole = extractPreview(html, BASE);
    expect(whole).toEqual({ title: '茶 🍵 & 壶', image: 'https://jade-garden.shop/a.png', price: '268.00', currency: 'CNY' });
    for (const slice of [1, 3, 7, 64, 4096]) expect(await extractPreviewYielding(html, BASE, slice)).toEqual(whole);
  });
});
