/**
 * Reads what a preview shows from a fetched page: title, description, image, and for a product
 * page its price and currency (schema.org Product JSON-LD, else product:price:* / og:price:*
 * tags). Never the site or merchant name: og:site_name is the page's own claim and can lie;
 * the merchant's name comes from the verification service. Everything is cleaned and bounded.
 */
import { Parser } from 'htmlparser2';
import { ISO_4217_CODES } from './currency-codes';

export interface PageFields {
  title?: string;
  description?: string;
  /** Absolute http(s) URL of the page's image, still third-party: the caller stores it. */
  image?: string;
  /** ASCII digits with at most one '.', only together with a valid currency. */
  price?: string;
  /** An active ISO 4217 code. */
  currency?: string;
}

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 500;
const JSON_LD_MAX_SCRIPTS = 16;
const JSON_LD_MAX_CHARS = 256 * 1024;
const JSON_LD_MAX_NODES = 2000;
const JSON_LD_MAX_DEPTH = 8;

// The controls that separate text (tab, line feed, VT, form feed, CR, the information separators
// U+001C-001F and NEL U+0085) become spaces, so the words on either side stay apart.
// eslint-disable-next-line no-control-regex -- turning control characters into spaces is the point
const SEPARATING_CONTROLS = /[\t\n\v\f\r\u001c-\u001f\u0085]/gu;
// Every other control (Cc) and every format character (Cf) is removed: bidi embeddings,
// overrides, isolates and marks, zero-width space/joiners, word joiner, invisible operators,
// soft hyphen, BOM, tag characters, interlinear annotation, musical beam and slur controls, and
// whatever Unicode adds to Cf later. A hand-written list always missed some (U+2060, U+00AD,
// U+E0001...). Removed, not made spaces as the old list's were: a word split by a soft hyphen
// or word joiner stays one word. The cost is knowing, and the old list paid it too (it took
// out U+200B-200F): U+200D ZERO WIDTH JOINER is Cf, so a ZWJ emoji sequence (man ZWJ woman ZWJ
// girl) shows as its separate emoji, and U+200C ZWNJ goes from Persian words; tag characters
// go too, so a subdivision flag (England's) shows as a plain black flag.
const INVISIBLE_CHARS = /[\p{Cc}\p{Cf}]/gu;

/**
 * Separating controls made spaces, other controls and format characters removed, whitespace
 * collapsed, cut to `max` code points; undefined when empty.
 */
export function cleanText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(SEPARATING_CONTROLS, ' ').replace(INVISIBLE_CHARS, '').replace(/\s+/gu, ' ').trim();
  if (cleaned === '') return undefined;
  const points = Array.from(cleaned);
  return points.length <= max ? cleaned : `${points.slice(0, max - 1).join('').trimEnd()}…`;
}

/** A price as plain ASCII digits with at most one '.', or undefined. */
export function cleanPrice(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return undefined;
  return /^[0-9]{1,12}(\.[0-9]{1,4})?$/.test(text) ? text : undefined;
}

export function cleanCurrency(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && ISO_4217_CODES.has(code) ? code : undefined;
}

/**
 * The charset the bytes are in, as a browser decides it (the WHATWG encoding sniffing rules in
 * short): a byte order mark, else the header's, else a <meta> in the first 1024 bytes (where a
 * UTF-16 label means UTF-8: a page that could declare it in ASCII is not UTF-16), else UTF-8.
 * Reading a page otherwise than the browser does would check a refresh the browser never sees.
 */
export function decodeHtml(body: Buffer, contentType: string): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return new TextDecoder('utf-8').decode(body);
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body);
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body);
  const fromHeader = /charset\s*=\s*["']?([A-Za-z0-9_.:-]+)/i.exec(contentType)?.[1];
  const head = body.subarray(0, 1024).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)/i.exec(head)?.[1];
  const fromMeta = declared !== undefined && /^(?:utf-16|unicodefffe|unicode|csunicode|iso-10646-ucs-2|ucs-2|unicodefeff)/i.test(declared) ? 'utf-8' : declared;
  for (const label of [fromHeader, fromMeta]) {
    if (label === undefined) continue;
    try {
      return new TextDecoder(label).decode(body);
    } catch {
      // An unknown label: try the next source.
    }
  }
  return new TextDecoder('utf-8').decode(body);
}

interface RawPage {
  title?: string;
  meta: Map<string, string>;
  jsonLd: string[];
}

/** A streaming reader of the parts of a page a preview needs. */
function createScanner(): { write(chunk: string): void; end(): RawPage } {
  const page: RawPage = { meta: new Map(), jsonLd: [] };
  let inTitle = false;
  let titleText = '';
  let inJsonLd = false;
  let scriptText = '';
  let foreignDepth = 0; // inside <svg> or <math>, a <title> is not the page's
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'svg' || name === 'math') foreignDepth++;
        else if (name === 'title' && foreignDepth === 0 && page.title === undefined) inTitle = true;
        else if (name === 'meta') {
          const key = (attribs.property ?? attribs.name ?? attribs.itemprop ?? '').trim().toLowerCase();
          const content = attribs.content;
          // The first occurrence wins, as in most preview readers: later ones are often widgets.
          if (key !== '' && content !== undefined && !page.meta.has(key)) page.meta.set(key, content);
        } else if (name === 'script' && (attribs.type ?? '').trim().toLowerCase() === 'application/ld+json') {
          inJsonLd = page.jsonLd.length < JSON_LD_MAX_SCRIPTS;
          scriptText = '';
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
        else if (inJsonLd && scriptText.length < JSON_LD_MAX_CHARS) scriptText += text;
      },
      onclosetag(name) {
        if (name === 'svg' || name === 'math') foreignDepth = Math.max(0, foreignDepth - 1);
        else if (name === 'title' && inTitle) {
          inTitle = false;
          page.title = titleText;
        } else if (name === 'script' && inJsonLd) {
          inJsonLd = false;
          if (scriptText.length < JSON_LD_MAX_CHARS) page.jsonLd.push(scriptText);
        }
      },
    },
    { decodeEntities: true },
  );
  return {
    write: (chunk) => parser.write(chunk),
    end() {
      parser.end();
      return page;
    },
  };
}

interface ProductData {
  price?: string;
  currency?: string;
  image?: unknown;
  name?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(node: Record<string, unknown>, type: string): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((t) => typeof t === 'string' && (t === type || t.endsWith(`schema.org/${type}`)));
}

/** The first offer with a valid price and currency, looking into arrays and price specifications. */
function offerPrice(offers: unknown, depth = 0): { price: string; currency: string } | undefined {
  if (depth > 3) return undefined;
  for (const offer of Array.isArray(offers) ? offers : [offers]) {
    if (!isRecord(offer)) continue;
    const currency = cleanCurrency(offer.priceCurrency);
    const price = cleanPrice(offer.price) ?? cleanPrice(offer.lowPrice);
    if (price !== undefined && currency !== undefined) return { price, currency };
    const nested = offerPrice(offer.priceSpecification, depth + 1) ?? offerPrice(offer.offers, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

function findProduct(scripts: readonly string[]): ProductData | undefined {
  let budget = JSON_LD_MAX_NODES;
  let found: ProductData | undefined;
  const visit = (node: unknown, depth: number): void => {
    if (found !== undefined || depth > JSON_LD_MAX_DEPTH || budget-- <= 0) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    if (hasType(node, 'Product')) {
      const offer = offerPrice(node.offers);
      found = { ...(offer ?? {}), image: node.image, name: node.name };
      return;
    }
    for (const key of ['@graph', 'mainEntity', 'itemReviewed', 'about']) {
      if (key in node) visit(node[key], depth + 1);
    }
  };
  for (const script of scripts) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(script);
    } catch {
      continue;
    }
    visit(parsed, 0);
    if (found) return found;
  }
  return undefined;
}

/** An absolute http(s) URL for a page-relative reference, or undefined. */
function absoluteUrl(reference: unknown, base: string): string | undefined {
  let candidate: unknown = reference;
  if (Array.isArray(candidate)) candidate = candidate[0];
  if (isRecord(candidate)) candidate = candidate.url ?? candidate.contentUrl;
  if (typeof candidate !== 'string' || candidate.trim() === '' || candidate.length > 2048) return undefined;
  try {
    const url = new URL(candidate.trim(), base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function extractPreview(html: string, finalUrl: string): PageFields {
  const scanner = createScanner();
  scanner.write(html);
  return fieldsOf(scanner.end(), finalUrl);
}

/**
 * The same, parsed in slices with a turn of the event loop between them: a 1 MiB page costs
 * tens of milliseconds of parsing, which must not stall the chat server's sockets.
 */
export async function extractPreviewYielding(html: string, finalUrl: string, sliceChars = 32 * 1024): Promise<PageFields> {
  const scanner = createScanner();
  for (let at = 0; at < html.length; at += sliceChars) {
    scanner.write(html.slice(at, at + sliceChars));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return fieldsOf(scanner.end(), finalUrl);
}

function fieldsOf(page: RawPage, finalUrl: string): PageFields {
  // A tag whose content cleans to nothing (blank, or only invisible characters such as U+200B)
  // is as good as absent: the next source must be asked, not the field left empty.
  const meta = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = page.meta.get(key);
      if (cleanText(value, 1) !== undefined) return value;
    }
    return undefined;
  };
  const product = findProduct(page.jsonLd);
  const jsonLdName = typeof product?.name === 'string' ? product.name : undefined;

  const title = [meta('og:title', 'twitter:title'), page.title, jsonLdName].map((text) => cleanText(text, TITLE_MAX)).find((text) => text !== undefined);
  const description = cleanText(meta('og:description', 'twitter:description', 'description'), DESCRIPTION_MAX);
  const image =
    absoluteUrl(meta('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'), finalUrl) ??
    absoluteUrl(product?.image, finalUrl);

  let price = product?.price;
  let currency = product?.currency;
  if (price === undefined || currency === undefined) {
    const tagPrice = cleanPrice(meta('product:price:amount', 'og:price:amount'));
    const tagCurrency = cleanCurrency(meta('product:price:currency', 'og:price:currency'));
    if (tagPrice !== undefined && tagCurrency !== undefined) {
      price = tagPrice;
      currency = tagCurrency;
    }
  }

  return {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(price !== undefined && currency !== undefined ? { price, currency } : {}),
  };
}
