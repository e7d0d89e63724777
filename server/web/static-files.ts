/**
 * Serves the built web client (DESIGN.md §1) with a strict Content-Security-Policy. Paths are
 * resolved inside the web root only; any path without a file extension that is not a file falls
 * back to index.html, so that client-side routes such as `/share?url=…` load the app.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { BASE_HEADERS, errorReply, writeReply } from '../http/respond';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The CSP of every page: same-origin everything; the socket may use ws/wss to this same host. */
export function contentSecurityPolicy(host: string | undefined): string {
  const sameHostSockets = host !== undefined && HOST_HEADER.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${sameHostSockets}`,
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

interface ResolvedFile {
  file: string;
  size: number;
}

export class StaticFiles {
  private readonly root: string;

  constructor(webRoot: string) {
    this.root = path.resolve(webRoot);
  }

  /** Answers a GET or HEAD for a non-API path. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Security-Policy': contentSecurityPolicy(req.headers.host) };
    const found = await this.resolve(pathname);
    if (found === undefined) {
      const indexMissing = (await this.fileAt(path.join(this.root, 'index.html'))) === undefined;
      // The contract's error body here too (an HTTP error is always one), readable in a browser.
      const message = indexMissing ? 'Wanglai: the web client is not built. Run `npm run build`, then reload.' : 'no such file';
      writeReply(res, errorReply('not_found', message, headers), req.method === 'HEAD');
      return;
    }
    const extension = path.extname(found.file).toLowerCase();
    const immutable = found.file.startsWith(path.join(this.root, 'assets') + path.sep);
    res.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'Content-Length': String(found.size),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(found.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  private async resolve(pathname: string): Promise<ResolvedFile | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
    const candidate = path.resolve(this.root, `.${path.posix.normalize(`/${decoded}`)}`);
    if (candidate !== this.root && !candidate.startsWith(this.root + path.sep)) return undefined;
    const direct = await this.fileAt(candidate === this.root ? path.join(this.root, 'index.html') : candidate);
    if (direct !== undefined) return direct;
    const lastSegment = decoded.split('/').pop() ?? '';
    if (lastSegment.includes('.')) return undefined;
    return this.fileAt(path.join(this.root, 'index.html'));
  }

  private async fileAt(file: string): Promise<ResolvedFile | undefined> {
    try {
      const info = await stat(file);
      return info.isFile() ? { file, size: info.size } : undefined;
    } catch {
      return undefined;
    }
  }
}
