import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wanglai';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL belongs to the app's own origin. Node's URL gives non-special schemes an
 * opaque `null` origin, so the scheme and host are compared instead.
 */
export function isAppUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && url.username === '' && url.password === '';
}

/** `app://` must be registered before `ready` to behave like https: standard, secure, fetchable. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AppRequestHandler = (request: Request) => Promise<Response>;

/**
 * Serves files of `rootDir` (the built renderer) for app:// requests. Only GET/HEAD on our
 * host; the decoded path must stay inside the root after resolving `..` and symlinks; a path
 * without an extension falls back to index.html (client-side routes), one with an extension
 * that does not exist is 404.
 */
export function createAppHandler(rootDir: string, csp: string): AppRequestHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed', csp);
    if (!isAppUrl(request.url)) return plain(404, 'not found', csp);
    // Resolved per request: the renderer may be built after the app started.
    const root = await realpath(rootDir).catch(() => undefined);
    if (root === undefined) return plain(404, 'the renderer is not built (run npm run build)', csp);
    const relative = safeRelativePath(new URL(request.url).pathname);
    if (relative === undefined) return plain(400, 'bad path', csp);
    const file = await resolveInside(root, relative === '' ? 'index.html' : relative);
    const chosen = file ?? (path.extname(relative) === '' ? await resolveInside(root, 'index.html') : undefined);
    if (chosen === undefined) return plain(404, 'not found', csp);
    const body = request.method === 'HEAD' ? null : await readFile(chosen);
    return new Response(body, { status: 200, headers: headers(mimeTypeOf(chosen), csp) });
  };
}

/** The URL path as a relative file path, or undefined when it could escape or is malformed. */
function safeRelativePath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || /^[A-Za-z]:$/.test(s))) return undefined;
  return segments.join('/');
}

async function resolveInside(root: string, relative: string): Promise<string | undefined> {
  const candidate = path.resolve(root, relative);
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + path.sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function headers(contentType: string, csp: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8', csp) });
}
