/**
 * What demo mode seeds: people, a merchant user, shops good and bad, and conversations whose
 * messages show every kind of link preview. Every message has a fixed clientId, so seeding
 * again finds it instead of sending it twice.
 */
import type { MerchantStatus } from '../../protocol';
import { DEMO_LOOKALIKE_HOST, DEMO_LOOKALIKE_PATH, DEMO_SHOP_HOST } from '../demo/shop-server';

/** Every demo account's password; printed at start, never for real use. */
export const DEMO_PASSWORD = 'wanglai-demo';

export type DemoUserKey = 'alice' | 'bob' | 'carol' | 'jade';

export interface DemoUserSpec {
  username: DemoUserKey;
  displayName: string;
  /** What the guide says the account is for. */
  role: string;
}

export const DEMO_USERS: readonly DemoUserSpec[] = [
  { username: 'alice', displayName: 'Alice 王丽', role: 'a customer; owns the group' },
  { username: 'bob', displayName: 'Bob 柏涛', role: 'a customer' },
  { username: 'carol', displayName: 'Carol 陈可', role: 'a customer' },
  { username: 'jade', displayName: '玉园茶舍 Jade Garden', role: 'the verified merchant of the demo shop; shares product cards' },
];

export interface DemoMerchantSpec {
  key: 'jade' | 'lucky';
  name: string;
  domain: string;
  status: MerchantStatus;
}

export const JADE_MERCHANT: DemoMerchantSpec = { key: 'jade', name: '玉园茶舍 Jade Garden', domain: DEMO_SHOP_HOST, status: 'verified' };
/** A shop whose verification was withdrawn: its links are blocked with reason `suspended`. */
export const SUSPENDED_MERCHANT: DemoMerchantSpec = { key: 'lucky', name: '好运特卖 Lucky Deals', domain: 'lucky-deals.shop', status: 'suspended' };
/** On the blocklist: its links are blocked with reason `phishing`. */
export const PHISHING_DOMAIN = { domain: 'jade-garden-refund.top', reason: 'phishing: fake refund page imitating Jade Garden' };

/** The merchant user is linked to this merchant. */
export const MERCHANT_USER: DemoUserKey = 'jade';

export const DEMO_CONTACTS: readonly (readonly [DemoUserKey, DemoUserKey])[] = [
  ['alice', 'bob'],
  ['alice', 'carol'],
  ['bob', 'carol'],
  ['alice', 'jade'],
  ['bob', 'jade'],
];

export const DEMO_GROUP = { title: '茶友会 Tea lovers', owner: 'alice' as DemoUserKey, members: ['bob', 'carol', 'jade'] as DemoUserKey[] };

const shop = `http://${DEMO_SHOP_HOST}`;
export const DEMO_LINKS = {
  verifiedProduct: `${shop}/products/jade-teapot`,
  verifiedCup: `${shop}/products/celadon-cup`,
  sharedScarf: `${shop}/products/silk-scarf`,
  sharedSampler: `${shop}/products/tea-sampler`,
  unverified: 'https://tea-notes.example.org/longjing-guide',
  lookalike: `http://${DEMO_LOOKALIKE_HOST}${DEMO_LOOKALIKE_PATH}`,
  phishing: `http://${PHISHING_DOMAIN.domain}/claim`,
  suspended: `http://${SUSPENDED_MERCHANT.domain}/flash-sale`,
} as const;

/** Where a seeded message goes: the direct conversation of two users, or the demo group. */
export type DemoPlace = { direct: readonly [DemoUserKey, DemoUserKey] } | { group: true };

export type DemoMessage =
  | { clientId: string; from: DemoUserKey; to: DemoPlace; text: string }
  | { clientId: string; from: DemoUserKey; to: DemoPlace; product: string };

const aliceBob: DemoPlace = { direct: ['alice', 'bob'] };
const aliceJade: DemoPlace = { direct: ['alice', 'jade'] };
const group: DemoPlace = { group: true };

/** In the order they are sent. */
export const DEMO_MESSAGES: readonly DemoMessage[] = [
  { clientId: 'demo-seed-ab-1', from: 'alice', to: aliceBob, text: '你好 Bob！周末去喝茶吗？' },
  { clientId: 'demo-seed-ab-2', from: 'bob', to: aliceBob, text: 'Sure! Is the new teapot you mentioned any good?' },
  { clientId: 'demo-seed-ab-3', from: 'alice', to: aliceBob, text: `From the verified Jade Garden shop: ${DEMO_LINKS.verifiedProduct}` },
  { clientId: 'demo-seed-ab-4', from: 'bob', to: aliceBob, text: `Someone sent me this deal — 1 元?! ${DEMO_LINKS.lookalike}` },
  { clientId: 'demo-seed-ab-5', from: 'alice', to: aliceBob, text: '别点！That is a lookalike of the Jade Garden shop, not the real one.' },
  { clientId: 'demo-seed-group-1', from: 'alice', to: group, text: '欢迎来到茶友会 Welcome to the tea lovers group!' },
  { clientId: 'demo-seed-group-2', from: 'carol', to: group, text: `A good read on Longjing (no preview until it is verified): ${DEMO_LINKS.unverified}` },
  { clientId: 'demo-seed-group-3', from: 'bob', to: group, text: `I got an SMS with a refund link: ${DEMO_LINKS.phishing}` },
  { clientId: 'demo-seed-group-4', from: 'carol', to: group, text: `And this shop used to have good prices: ${DEMO_LINKS.suspended}` },
  { clientId: 'demo-seed-group-5', from: 'jade', to: group, product: DEMO_LINKS.sharedScarf },
  { clientId: 'demo-seed-group-6', from: 'jade', to: group, text: `New in stock: ${DEMO_LINKS.verifiedCup}` },
  { clientId: 'demo-seed-aj-1', from: 'alice', to: aliceJade, text: '请问龙井试饮装还有货吗？' },
  { clientId: 'demo-seed-aj-2', from: 'jade', to: aliceJade, product: DEMO_LINKS.sharedSampler },
];
