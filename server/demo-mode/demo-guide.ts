/** The few lines demo mode prints once seeded: where to go and whom to sign in as. */
import { DEMO_LOOKALIKE_HOST } from '../demo/shop-server';
import { DEMO_GROUP, DEMO_LINKS, DEMO_PASSWORD, DEMO_USERS, JADE_MERCHANT, PHISHING_DOMAIN, SUSPENDED_MERCHANT } from './demo-data';

export interface GuideFacts {
  webUrl: string;
  shopUrl: string;
  dataDir: string;
  created: number;
  previewsPending: number;
  /** Merchant ids, for `npm run admin -- merchants show|update ID` and `link-user`. */
  merchants: { jade: string; suspended: string };
}

/** A wildcard bind is reached through loopback by a browser on this machine. */
export function browsableUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.href;
}

export function demoGuide(facts: GuideFacts): string {
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  return [
    '',
    `Wanglai demo ${facts.created > 0 ? `seeded (${facts.created} messages)` : 'ready (already seeded)'}`,
    `  Web client: ${facts.webUrl}`,
    `  Sign in with password "${DEMO_PASSWORD}" as:`,
    ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)}  ${u.displayName} — ${u.role}`),
    `  Group "${DEMO_GROUP.title}" and direct chats alice–bob, alice–jade hold one link of each kind:`,
    `    verified    ${DEMO_LINKS.verifiedProduct}  (${JADE_MERCHANT.name}, served locally at ${facts.shopUrl})`,
    `    unverified  ${DEMO_LINKS.unverified}`,
    `    blocked     ${DEMO_LOOKALIKE_HOST} (lookalike), ${PHISHING_DOMAIN.domain} (blocklisted), ${SUSPENDED_MERCHANT.domain} (suspended merchant)`,
    `  Merchants: ${JADE_MERCHANT.name} ${facts.merchants.jade}, ${SUSPENDED_MERCHANT.name} ${facts.merchants.suspended} (npm run admin -- merchants show ID)`,
    ...(facts.previewsPending > 0 ? [`  Note: ${facts.previewsPending} link previews were still resolving when seeding finished.`] : []),
    `  Demo data lives in ${facts.dataDir}; delete it to start afresh.`,
    '',
  ].join('\n');
}
