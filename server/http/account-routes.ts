/** register, login, logout, me (PROTOCOL.md §2). */
import { schemas } from '../../protocol';
import type { Accounts, Session } from '../chat/accounts';
import { bearerToken } from './bearer';
import { parseJsonBody } from './read-body';
import { apiErrorReply, errorReply } from './respond';
import type { Reply, RequestContext, Router } from './router';
import { parseBody } from './validate';

export interface AccountRouteHooks {
  /**
   * Called after a session ends, at logout or when a login ends the user's oldest session
   * (`sessionsPerUser`), so that its open sockets can be closed too.
   */
  onLogout(session: Session): void;
}

export function authenticate(accounts: Accounts, ctx: RequestContext): Session | Reply {
  const token = bearerToken(ctx.req);
  const session = token === undefined ? undefined : accounts.authenticate(token);
  return session ?? errorReply('unauthorized', 'a valid bearer token is required');
}

export function addAccountRoutes(router: Router, accounts: Accounts, hooks: AccountRouteHooks): void {
  accounts.onSessionEnded((session) => hooks.onLogout(session));

  router.add('POST', '/api/v1/register', async (ctx) => {
    const body = parseBody(schemas.registerBody, parseJsonBody(ctx.req, ctx.body));
    if (!body.ok) return apiErrorReply(body.error);
    const result = await accounts.register(body.value, ctx.address);
    return result.ok ? { status: 201, body: result.value } : apiErrorReply(result.error);
  });

  router.add('POST', '/api/v1/login', async (ctx) => {
    const body = parseBody(schemas.loginBody, parseJsonBody(ctx.req, ctx.body));
    if (!body.ok) return apiErrorReply(body.error);
    const result = await accounts.login(body.value, ctx.address);
    return result.ok ? { status: 200, body: result.value } : apiErrorReply(result.error);
  });

  router.add('POST', '/api/v1/logout', (ctx) => {
    const session = authenticate(accounts, ctx);
    if ('status' in session) return session;
    accounts.logout(session);
    hooks.onLogout(session);
    return { status: 204 };
  });

  router.add('GET', '/api/v1/me', (ctx) => {
    const session = authenticate(accounts, ctx);
    if ('status' in session) return session;
    return { status: 200, body: { user: session.user } };
  });
}
