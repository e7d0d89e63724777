/**
 * The verdict rules of PROTOCOL.md §4, in their order, over an in-memory index of merchants
 * and blocked domains. Pure: no I/O, so it can be unit tested and benchmarked on its own; the
 * HTTP service keeps it in step with its store through `putMerchant` / `addBlocked` /
 * `removeBlocked`. A lookup never scans merchants: each rule is a handful of hash lookups.
 */
import { err, ok, type LinkVerdict, type MerchantRef, type MerchantStatus, type Result } from '../../protocol';
import { domainParts, hostAndParents, isIpHost, nameTail, stripTrailingDots } from './domain-name';
import { createLookalikeIndex } from './lookalike-index';

/** A merchant as the engine needs it; domains already normalised (see `normaliseDomain`). */
export interface MerchantRecord {
  id: string;
  name: string;
  domains: readonly string[];
  status: MerchantStatus;
}

export interface VerdictEngineInput {
  merchants: Iterable<MerchantRecord>;
  /** Blocked domains, already normalised. */
  blocked: Iterable<string>;
}

export interface VerdictEngine {
  verdict(url: string): Result<LinkVerdict>;
  /** Adds a merchant or replaces the one with the same id (domains and status included). */
  putMerchant(merchant: MerchantRecord): void;
  addBlocked(domain: string): void;
  removeBlocked(domain: string): void;
}

function merchantRef(merchant: MerchantRecord): MerchantRef {
  return { id: merchant.id, name: merchant.name, verified: merchant.status === 'verified' };
}

/**
 * Whether the authority of the raw URL holds an `@`: `https://@evil.tld/` parses with an empty
 * user name, yet it is the same trick as `https://shop.com@evil.tld/`.
 */
function authorityHasAt(raw: string): boolean {
  const start = raw.indexOf('//');
  if (start < 0) return false;
  const rest = raw.slice(start + 2);
  const end = rest.search(/[/?#\\]/);
  return (end < 0 ? rest : rest.slice(0, end)).includes('@');
}

export function createVerdictEngine(input: VerdictEngineInput): VerdictEngine {
  const merchantsById = new Map<string, MerchantRecord>();
  const merchantByDomain = new Map<string, MerchantRecord>();
  const blocked = new Set<string>(input.blocked);
  const lookalikes = createLookalikeIndex();

  function putMerchant(merchant: MerchantRecord): void {
    const previous = merchantsById.get(merchant.id);
    if (previous) {
      for (const domain of previous.domains) {
        if (merchantByDomain.get(domain) === previous) merchantByDomain.delete(domain);
      }
      if (previous.status === 'verified') lookalikes.removeVerified(previous.id);
    }
    const record: MerchantRecord = { id: merchant.id, name: merchant.name, domains: merchant.domains, status: merchant.status };
    merchantsById.set(record.id, record);
    for (const domain of record.domains) merchantByDomain.set(domain, record);
    if (record.status === 'verified') lookalikes.addVerified(record.id, record.domains);
  }

  for (const merchant of input.merchants) putMerchant(merchant);

  function verdict(url: string): Result<LinkVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return err('invalid_input', 'the URL does not parse');
    }
    // Rule 1.
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return err('invalid_input', 'only http and https URLs have a verdict');
    }
    // Rule 3's normalisation first, so that every verdict names the host it is about.
    // A host of dots only (`https://./`, `https://。/`) parses, so rule 1 does not refuse it; it
    // is left as the parser gave it rather than emptied, and nothing below can match it.
    const host = stripTrailingDots(parsed.hostname.toLowerCase()) || parsed.hostname;
    const ip = isIpHost(host);
    const registrableDomain = ip ? null : domainParts(host).registrableDomain;
    const base = { url, host, registrableDomain: registrableDomain ?? host };

    // Rule 2.
    if (parsed.username !== '' || parsed.password !== '' || authorityHasAt(url)) {
      return ok({ ...base, verdict: 'blocked', reason: 'deceptive_url' });
    }
    // Rule 3.
    if (ip) return ok({ ...base, verdict: 'unverified', reason: 'ip_host' });
    const names = hostAndParents(host);
    // Rule 5.
    for (const name of names) {
      if (blocked.has(name)) return ok({ ...base, verdict: 'blocked', reason: 'phishing', imitates: name });
    }
    // Rule 6: the most specific merchant domain wins.
    for (const name of names) {
      const merchant = merchantByDomain.get(name);
      if (!merchant) continue;
      const ref = merchantRef(merchant);
      switch (merchant.status) {
        case 'verified':
          // Past a private public suffix (`bucket.s3.amazonaws.com` under `amazonaws.com`) the
          // host belongs to someone else (that is what the PSL's private section says): a
          // merchant's verified status does not vouch for it. Suspended and pending still apply.
          if (registrableDomain === null || name.length < registrableDomain.length) continue;
          return ok({ ...base, verdict: 'verified', merchant: ref });
        case 'suspended':
          return ok({ ...base, verdict: 'blocked', reason: 'suspended', merchant: ref });
        case 'pending':
          return ok({ ...base, verdict: 'unverified', reason: 'pending', merchant: ref });
      }
    }
    // Rule 7, whatever the host's suffix: a host the PSL gives no registrable domain (a bare
    // suffix, one label such as `shоpbrand` or `shopbrand۰com`) can still mix scripts or read
    // as a verified domain. It is checked as what the verdict reports, its own registrable domain.
    // A host longer than a DNS name can be (no one can visit it) is read by its last 253
    // characters: read whole, 30,000 labels cost 40 ms of the chat server's event loop a verdict.
    const tail = nameTail(host);
    const imitation = tail === '' ? null : tail === host ? lookalikes.check(host, base.registrableDomain) : lookalikes.check(tail, domainParts(tail).registrableDomain ?? tail);
    if (imitation) {
      return ok({ ...base, verdict: 'blocked', reason: 'lookalike', ...(imitation.imitates ? { imitates: imitation.imitates } : {}) });
    }
    // Rule 8.
    return ok({ ...base, verdict: 'unverified' });
  }

  return {
    verdict,
    putMerchant,
    addBlocked: (domain) => void blocked.add(domain),
    removeBlocked: (domain) => void blocked.delete(domain),
  };
}
