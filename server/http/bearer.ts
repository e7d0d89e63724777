/** The token of an `Authorization: Bearer TOKEN` header, if well-formed. */
import type { IncomingMessage } from 'node:http';

/** The scheme is case-insensitive (RFC 9110 §11.1); spaces after it are tolerated. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]{1,512}=*)$/i;

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return BEARER.exec(header.trim())?.[1];
}
