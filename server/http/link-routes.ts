/**
 * The link pipeline's HTTP routes (PROTOCOL.md §2), served through LinkServices when the chat
 * server is given one. GET /api/v1/media/:id belongs here as well; the link pipeline adds it.
 */
import { schemas } from '../../protocol';
import type { Accounts } from '../chat/accounts';
import type { RateLimiter } from '../chat/rate-limiter';
import type { ChatStore } from '../store/chat-store';
import type { LinkServices } from '../links/link-services';
import { tokensEqual } from '../chat/tokens';
import { authenticate } from './account-routes';
import { bearerToken } from './bearer';
import { parseJsonBody } from './read-body';
import { apiErrorReply, errorReply } from './respond';
import type { Router } from './router';
import { describeIssues, parseBody } from './validate';

export interface LinkRouteDeps {
  accounts: Accounts;
  store: ChatStore;
  links: LinkServices;
  adminToken: string;
  /**
   * The verdict asks the verification service afresh every time (a click must see a suspension
   * at once), so it is limited per user like `links:verdict`, sharing its bucket.
   */
  verdictLimiter: RateLimiter | undefined;
  /** Tells the user and its contacts of a new merchant badge (announce-merchant.ts). */
  merchantChanged(userId: string): void;
}

export function addLinkRoutes(router: Router, deps: LinkRouteDeps): void {
  router.add('GET', '/api/v1/links/verdict', async (ctx) => {
    const session = authenticate(deps.accounts, ctx);
    if ('status' in session) return session;
    if (deps.verdictLimiter !== undefined && !deps.verdictLimiter.take(session.user.id)) return errorReply('rate_limited', 'too many verdicts; slow down');
    const query = schemas.verdictQuery.safeParse({ url: ctx.url.searchParams.get('url') ?? undefined });
    if (!query.success) return errorReply('invalid_input', describeIssues(query.error));
    const verdict = await deps.links.verdict(query.data.url);
    return verdict.ok ? { status: 200, body: verdict.value } : apiErrorReply(verdict.error);
  });

  router.add('POST', '/api/v1/admin/merchant-links', async (ctx) => {
    const token = bearerToken(ctx.req);
    if (token === undefined || !tokensEqual(token, deps.adminToken)) return errorReply('unauthorized', 'the admin token is required');
    const body = parseBody(schemas.merchantLinkBody, parseJsonBody(ctx.req, ctx.body));
    if (!body.ok) return apiErrorReply(body.error);
    const user = deps.store.userByUsername(body.value.username);
    if (user === undefined) return errorReply('not_found', 'no such user');
    const merchant = await deps.links.merchant(body.value.merchantId);
    if (!merchant.ok) return apiErrorReply(merchant.error);
    deps.store.setUserMerchant(user.id, merchant.value);
    deps.merchantChanged(user.id);
    return { status: 200, body: { user: { ...user, merchant: merchant.value } } };
  });
}
