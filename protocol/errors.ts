/** Error codes of PROTOCOL.md; the wire never carries any other. */
export const ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'username_taken',
  'invalid_credentials',
  'not_contact',
  'not_member',
  'not_merchant',
  'not_verified',
  'group_full',
  'rate_limited',
  'too_large',
  'preview_failed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** The HTTP body of every error response. */
export interface HttpErrorBody {
  error: ApiError;
}

/** The HTTP status each code is answered with when it travels over HTTP. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  username_taken: 409,
  invalid_credentials: 401,
  not_contact: 403,
  not_member: 403,
  not_merchant: 403,
  not_verified: 403,
  group_full: 409,
  rate_limited: 429,
  too_large: 413,
  preview_failed: 422,
  internal: 500,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** An outcome that can fail with a coded error: errors are values at the edges. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });
