import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, createAppHandler, isAppUrl, type AppRequestHandler } from '../../main/app-protocol';

let base: string;
let handler: AppRequestHandler;
const CSP = "default-src 'none'";

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'wanglai-app-protocol-'));
  const root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Wanglai</title>');
  await writeFile(path.join(root, 'assets', 'app-1.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'app-1.css'), 'body{}');
  await writeFile(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  await writeFile(path.join(root, 'assets', 'font.woff2'), 'x');
  await writeFile(path.join(base, 'secret.txt'), 'do not serve');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'escape.txt'));
  handler = createAppHandler(root, CSP);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET'): Promise<Response> => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it('serves index.html at the root with the CSP and nosniff', async () => {
    const response = await get('app://wanglai/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Wanglai</title>');
    expect((await get(APP_INDEX_URL)).status).toBe(200);
  });

  it.each([
    ['assets/app-1.js', 'text/javascript; charset=utf-8'],
    ['assets/app-1.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/font.woff2', 'font/woff2'],
  ])('serves %s as %s', async (file, type) => {
    const response = await get(`app://wanglai/${file}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('falls back to index.html for a route, but 404s a missing file', async () => {
    const route = await get('app://wanglai/conversations/c1');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Wanglai');
    expect((await get('app://wanglai/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'app://wanglai/%2e%2e/secret.txt',
    'app://wanglai/assets/%2E%2E/%2E%2E/secret.txt',
    'app://wanglai/..%2fsecret.txt',
    'app://wanglai/..%5csecret.txt',
    'app://wanglai/%2e%2e%5c%2e%2e%5csecret.txt',
    'app://wanglai/assets%00/app-1.js',
    'app://wanglai/%E0%A4%A',
  ])('refuses path traversal and malformed paths: %s', async (url) => {
    const response = await get(url);
    // The URL parser may already fold `%2e%2e` away (404), or the handler refuses it (400).
    expect([400, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('does not follow a symlink out of the root', async () => {
    const response = await get('app://wanglai/assets/escape.txt');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('answers only GET and HEAD on its own host', async () => {
    expect((await get('app://wanglai/', 'POST')).status).toBe(405);
    const head = await get('app://wanglai/', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://evil/index.html')).status).toBe(404);
  });

  it('says the renderer is missing instead of failing', async () => {
    const missing = createAppHandler(path.join(base, 'nope'), CSP);
    const response = await missing(new Request('app://wanglai/'));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/npm run build/);
  });

  it('recognises only our origin', () => {
    expect(isAppUrl('app://wanglai/index.html')).toBe(true);
    expect(isAppUrl('app://wanglai')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://wanglai:99/')).toBe(false);
    expect(isAppUrl('https://wanglai/')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});
