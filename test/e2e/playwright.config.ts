/**
 * The end-to-end suite (DESIGN.md §5): the web build in headless Chromium, and the same specs
 * in the Electron app when an Electron binary is on disk. Each worker starts its own server
 * stack (fixtures/server-stack.ts); see docs/testing.md.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import type { AppOptions } from './fixtures/test';
import { electronAvailability } from './fixtures/app-launcher';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB_INDEX = path.join(ROOT, 'dist', 'renderer', 'index.html');

// The web client is served by the chat server from dist/renderer; without it every page is a 404.
if (!existsSync(WEB_INDEX) && process.env.WANGLAI_E2E_BASE_URL === undefined) {
  throw new Error(`${path.relative(ROOT, WEB_INDEX)} is missing: run \`npm run build\` before \`npm run test:e2e\``);
}

// Said once, by the runner (workers load this file too): each electron test is also skipped with this reason.
const electron = electronAvailability();
if (!electron.ok && process.env.TEST_WORKER_INDEX === undefined) console.log(electron.reason);

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig<AppOptions>({
  testDir: './specs',
  outputDir: path.join(ROOT, 'test-results', 'e2e'),
  fullyParallel: true,
  forbidOnly: process.env.CI !== undefined,
  retries: process.env.CI === undefined ? 0 : 2,
  // A 2-core machine: two workers, each with its own server stack, keep both cores busy.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: path.join(ROOT, 'playwright-report') }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    locale: 'en-US',
    launchOptions: {
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
    },
  },
  projects: [
    { name: 'web', use: { browserName: 'chromium', appKind: 'web' } },
    { name: 'electron', use: { appKind: 'electron' } },
  ],
});
