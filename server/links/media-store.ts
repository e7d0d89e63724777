/**
 * Preview and product-card images, stored by the chat server and served from its own
 * /api/v1/media/:id (DESIGN.md §3.9), so a recipient's client never loads a third-party
 * address. Content-addressed files under `<dataDir>/media`: the id is the SHA-256 of the
 * bytes in hex, and the type served is the one the bytes prove, checked again on every read
 * together with the dimensions the image's header declares (image-type.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { openingDataFile } from '../store/data-file-error';
import { LIMITS } from '../../protocol';
import { type ImageType, checkImage } from './image-type';
import type { FetchFailureReason, SafeFetcher } from './safe-fetch';

export const MEDIA_PATH_PREFIX = '/api/v1/media/';

const ID_PATTERN = /^[0-9a-f]{64}$/;

export type StoreFailureReason = 'not_an_image' | 'too_large' | 'write_failed';

export type StoreResult = { ok: true; id: string; url: string } | { ok: false; reason: StoreFailureReason | FetchFailureReason };

export interface StoredMedia {
  contentType: ImageType;
  body: Buffer;
}

export interface MediaStore {
  /** Stores image bytes after checking them; the same bytes always get the same id. */
  put(bytes: Buffer): Promise<StoreResult>;
  get(id: string): Promise<StoredMedia | undefined>;
}

export const mediaUrl = (id: string): string => `${MEDIA_PATH_PREFIX}${id}`;

export function openMediaStore(dataDir: string): MediaStore {
  const dir = path.join(dataDir, 'media');
  openingDataFile(dir, () => mkdirSync(dir, { recursive: true }));
  return {
    async put(bytes) {
      if (bytes.length > LIMITS.mediaBytesMax) return { ok: false, reason: 'too_large' };
      // The type by magic bytes, and the header's declared width and height within limits.
      const image = checkImage(bytes);
      if (!image.ok) return { ok: false, reason: image.reason };
      const id = createHash('sha256').update(bytes).digest('hex');
      const file = path.join(dir, id);
      const exists = await access(file).then(
        () => true,
        () => false,
      );
      if (exists) return { ok: true, id, url: mediaUrl(id) };
      // Write then rename, so a reader never sees half a file under a valid id.
      const temp = path.join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, bytes, { flag: 'wx' });
        await rename(temp, file);
      } catch {
        return { ok: false, reason: 'write_failed' };
      }
      return { ok: true, id, url: mediaUrl(id) };
    },
    async get(id) {
      if (!ID_PATTERN.test(id)) return undefined;
      try {
        const body = await readFile(path.join(dir, id));
        // Bytes that do not prove an image type, or declare dimensions over the limits, are not served.
        const image = checkImage(body);
        return image.ok ? { contentType: image.type, body } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Fetches an image through the safe fetcher and stores it: the image of a preview or card. */
export async function storeRemoteImage(fetcher: SafeFetcher, store: MediaStore, url: string): Promise<StoreResult> {
  const fetched = await fetcher.fetch(url, 'image');
  if (!fetched.ok) return { ok: false, reason: fetched.reason };
  return store.put(fetched.body);
}

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** GET /api/v1/media/:id as a plain value, for any HTTP framework. */
export async function mediaResponse(store: MediaStore, id: string): Promise<MediaResponse> {
  const media = await store.get(id);
  if (!media) {
    return {
      status: 404,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' },
      body: JSON.stringify({ error: { code: 'not_found', message: 'no such media' } }),
    };
  }
  return {
    status: 200,
    headers: {
      'content-type': media.contentType,
      'content-length': String(media.body.length),
      'x-content-type-options': 'nosniff',
      // Content-addressed: the bytes under an id never change.
      'cache-control': 'public, max-age=31536000, immutable',
      'content-security-policy': "default-src 'none'; sandbox",
    },
    body: media.body,
  };
}

export type MediaHandler = (req: IncomingMessage, res: ServerResponse, id: string) => void;

/** The request handler the chat server mounts at GET /api/v1/media/:id. */
export function createMediaHandler(store: MediaStore): MediaHandler {
  return (req, res, id) => {
    void mediaResponse(store, id).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(req.method === 'HEAD' ? undefined : answer.body);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'internal', message: 'media could not be read' } }));
      },
    );
  };
}
