/**
 * Demo merchants and the blocklist, through the verification service's own HTTP API
 * (PROTOCOL.md §4). A merchant that already owns its domain is found by asking for a verdict
 * and left as it is, so a second start neither duplicates nor resets it.
 */
import { z } from 'zod';
import type { DemoMerchantSpec } from './demo-data';

const verdictAnswer = z.object({ reason: z.string().optional(), merchant: z.object({ id: z.string() }).optional() });
const merchantAnswer = z.object({ merchant: z.object({ id: z.string() }) });

export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

async function verifyRequest(baseUrl: string, adminToken: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}${route}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** The id of the merchant owning the spec's domain, created with the spec's status if none does. */
export async function ensureMerchant(verifyUrl: string, adminToken: string, spec: DemoMerchantSpec): Promise<string> {
  const verdict = await verifyRequest(verifyUrl, adminToken, 'GET', `/v1/verdict?url=${encodeURIComponent(`https://${spec.domain}/`)}`);
  const owner = verdict.status === 200 ? verdictAnswer.safeParse(verdict.body) : undefined;
  // Only an owner carries `merchant` on a verdict; a lookalike names what it imitates instead.
  if (owner?.success && owner.data.merchant !== undefined && owner.data.reason !== 'lookalike') return owner.data.merchant.id;
  const created = await verifyRequest(verifyUrl, adminToken, 'POST', '/v1/merchants', { name: spec.name, domains: [spec.domain], status: spec.status });
  const merchant = created.status === 201 ? merchantAnswer.safeParse(created.body) : undefined;
  if (!merchant?.success) throw new DemoSeedError(`creating the merchant ${spec.name} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return merchant.data.merchant.id;
}

/** Puts a domain on the blocklist; the service keeps one entry per domain, so this repeats safely. */
export async function ensureBlocked(verifyUrl: string, adminToken: string, entry: { domain: string; reason: string }): Promise<void> {
  const answer = await verifyRequest(verifyUrl, adminToken, 'POST', '/v1/blocklist', entry);
  if (answer.status !== 201) throw new DemoSeedError(`blocking ${entry.domain} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
}
