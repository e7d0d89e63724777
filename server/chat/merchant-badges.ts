/**
 * Keeps the merchant badges (`User.merchant`: its name and `verified`) close to what the
 * verification service says. A badge was written when an admin linked the user and refreshed
 * when that user shared a product; without this, a merchant suspended afterwards kept showing
 * "verified" to its customers for as long as it did not try to share. Every linked merchant is
 * asked again about once an interval (PROTOCOL.md §4: answers are cached briefly); a change is
 * stored for each of its users and sent to their contacts as `contacts:updated`.
 */
import type { MerchantRef, Result } from '../../protocol';
import { announceMerchant } from './announce-merchant';
import type { ChatDeps } from './chat-deps';

export interface MerchantBadgeOptions {
  /** How often the badges are checked; default 30 s, the verdict cache's lifetime. */
  intervalMs?: number;
  /**
   * At most this many merchants are asked in one interval, those checked longest ago first: with
   * very many linked merchants a round takes several intervals instead of flooding the service.
   */
  perIntervalMax?: number;
}

export const MERCHANT_BADGE_INTERVAL_MS = 30_000;
const PER_INTERVAL_MAX = 500;
/** Questions in flight at once: the service also answers every preview's verdicts. */
const CONCURRENCY = 4;

export type MerchantLookup = (merchantId: string) => Promise<Result<MerchantRef>>;

export class MerchantBadges {
  private readonly intervalMs: number;
  private readonly perIntervalMax: number;
  /** When each merchant was last asked (ms); merchants never asked come first. */
  private readonly checkedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ChatDeps,
    private readonly lookup: MerchantLookup,
    options: MerchantBadgeOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? MERCHANT_BADGE_INTERVAL_MS;
    this.perIntervalMax = options.perIntervalMax ?? PER_INTERVAL_MAX;
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    // A server with nothing else to do may exit; this timer alone never keeps it up.
    this.timer.unref();
  }

  /** One round of questions; a round still under way is joined, not doubled. */
  refresh(): Promise<void> {
    this.round ??= this.ask().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /** Stops the timer and waits for the round under way, so that the store can close after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private async ask(): Promise<void> {
    const linked = new Set(this.deps.store.linkedMerchantIds());
    for (const id of this.checkedAt.keys()) if (!linked.has(id)) this.checkedAt.delete(id);
    const due = [...linked]
      .sort((a, b) => (this.checkedAt.get(a) ?? -1) - (this.checkedAt.get(b) ?? -1))
      .slice(0, this.perIntervalMax);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length && !this.stopped) {
        const merchantId = due[next++] ?? '';
        const answer = await this.lookup(merchantId);
        if (this.stopped) return;
        this.checkedAt.set(merchantId, this.deps.now());
        if (answer.ok) this.apply(merchantId, answer.value);
        // Gone from the service: fail closed, the name stays and the badge goes.
        else if (answer.error.code === 'not_found') this.apply(merchantId, undefined);
        // Unavailable: the badge stays as last checked until the service answers again.
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } catch (error) {
      this.deps.log.error('refreshing merchant badges failed', error);
    }
  }

  /** Stores the merchant's current badge for each user still linked to it, and tells their contacts. */
  private apply(merchantId: string, current: MerchantRef | undefined): void {
    const { store } = this.deps;
    // Read again after the question: an admin may have linked a user elsewhere meanwhile.
    for (const { userId, merchant } of store.usersOfMerchant(merchantId)) {
      const badge: MerchantRef = current ?? { ...merchant, verified: false };
      if (badge.name === merchant.name && badge.verified === merchant.verified) continue;
      store.setUserMerchant(userId, badge);
      announceMerchant(this.deps, userId);
    }
  }
}
