/** Turns a read body into a validated value or an `invalid_input` / `too_large` error. */
import type { z } from 'zod';
import { err, ok } from '../../protocol';
import type { Result } from '../../protocol';

export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid input';
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return `${where}${first.message}`;
}

export function parseBody<S extends z.ZodType>(schema: S, body: Result<unknown>): Result<z.output<S>> {
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.value);
  return parsed.success ? ok(parsed.data) : err('invalid_input', describeIssues(parsed.error));
}
