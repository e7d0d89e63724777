/** The token of an `Authorization: Bearer TOKEN` header, if well-formed. */
import type { IncomingMessage } from 'node:http';

/**
 * The scheme is case-insensitive (RFC 9110 §11.1); spaces after it are tolerated. The token is
 * any visible ASCII: user tokens are base64url, and an admin token is whatever the operator set
 * (PROTOCOL.md §1 names no alphabet), which must always be sendable.
 */
const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return BEARER.exec(header.trim())?.[1];
}
