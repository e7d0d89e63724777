/**
 * Rule 7 of PROTOCOL.md §4: hosts that imitate a verified merchant's domain.
 */
import { domainParts } from './domain-name';

export interface Imitation {
  /** The verified domain imitated, when one is known. */
  imitates?: string;
}

export interface LookalikeIndex {
  addVerified(merchantId: string, domains: readonly string[]): void;
  removeVerified(merchantId: string): void;
  check(host: string, registrableDomain: string): Imitation | null;
}

function brandLabel(registrableDomain: string, publicSuffix: string | null): string {
  const withoutSuffix = publicSuffix ? registrableDomain.slice(0, -(publicSuffix.length + 1)) : registrableDomain;
  return withoutSuffix;
}

export function createLookalikeIndex(): LookalikeIndex {
  const brands = new Map<string, { merchantId: string; domain: string }>();
  const byMerchant = new Map<string, string[]>();
  return {
    addVerified(merchantId, domains) {
      const labels: string[] = [];
      for (const domain of domains) {
        const parts = domainParts(domain);
        if (parts.registrableDomain !== domain) continue;
        const label = brandLabel(domain, parts.publicSuffix);
        brands.set(label, { merchantId, domain });
        labels.push(label);
      }
      byMerchant.set(merchantId, labels);
    },
    removeVerified(merchantId) {
      for (const label of byMerchant.get(merchantId) ?? []) {
        if (brands.get(label)?.merchantId === merchantId) brands.delete(label);
      }
      byMerchant.delete(merchantId);
    },
    check(host, registrableDomain) {
      const parts = domainParts(host);
      const brand = brands.get(brandLabel(registrableDomain, parts.publicSuffix));
      return brand ? { imitates: brand.domain } : null;
    },
  };
}
