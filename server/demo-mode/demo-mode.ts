/**
 * `--demo` for server/main.ts (DESIGN.md §5): its own data directory, the local demo shop
 * reachable by the preview fetcher under the shop's real host names, and the demo data seeded
 * through the running servers' APIs once they listen. Nothing here runs without `--demo`.
 */
import type { ServerConfig } from '../config';
import { startDemoShop } from '../demo/shop-server';
import { JADE_MERCHANT, MERCHANT_USER, PHISHING_DOMAIN, SUSPENDED_MERCHANT } from './demo-data';
import { browsableUrl, demoGuide } from './demo-guide';
import { seedDemoChat } from './seed-chat';
import { ensureBlocked, ensureMerchant } from './seed-verify';

export const DEMO_DATA_DIR = './data-demo';

export interface SeedTargets {
  chatUrl: string;
  verifyUrl: string;
  adminToken: string;
}

export interface DemoMode {
  /** The configuration to start the servers with: the demo shop's hosts resolvable, http previews on. */
  config: ServerConfig;
  /** Seeds (or finds already seeded) the demo data and prints the guide. */
  seed(targets: SeedTargets): Promise<void>;
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The environment with the demo's own data directory, unless WANGLAI_DATA_DIR names one. */
export function demoEnvironment(env: Env): Env {
  return env.WANGLAI_DATA_DIR === undefined || env.WANGLAI_DATA_DIR.trim() === '' ? { ...env, WANGLAI_DATA_DIR: DEMO_DATA_DIR } : env;
}

export async function startDemoMode(config: ServerConfig): Promise<DemoMode> {
  const shop = await startDemoShop({ host: '127.0.0.1' });
  // The shop runs plain http on a loopback port: only these resolve entries may reach it, and
  // the pipeline has one switch for http, so it is on for the whole demo server.
  const resolve = [config.previewResolve, shop.resolve].filter((entries) => entries !== '').join(',');
  return {
    config: { ...config, previewResolve: resolve, previewAllowHttp: true },
    async seed(targets) {
      const chatUrl = browsableUrl(targets.chatUrl);
      const verifyUrl = browsableUrl(targets.verifyUrl);
      const merchantId = await ensureMerchant(verifyUrl, targets.adminToken, JADE_MERCHANT);
      const suspendedId = await ensureMerchant(verifyUrl, targets.adminToken, SUSPENDED_MERCHANT);
      await ensureBlocked(verifyUrl, targets.adminToken, PHISHING_DOMAIN);
      const result = await seedDemoChat(chatUrl, targets.adminToken, { user: MERCHANT_USER, merchantId });
      console.log(demoGuide({ webUrl: chatUrl, shopUrl: shop.url, dataDir: config.dataDir, merchants: { jade: merchantId, suspended: suspendedId }, ...result }));
    },
    close: () => shop.close(),
  };
}
