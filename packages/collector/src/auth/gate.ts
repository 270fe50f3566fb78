import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queryable } from '../db/database.ts';
import { sendJson } from '../http/respond.ts';
import type { Account } from './accounts.ts';
import { findApiToken } from './api-tokens.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { findSession } from './sessions.ts';
import { sameSecret } from './tokens.ts';

export type Principal =
  | { via: 'session'; account: Account; sessionId: string; csrfToken: string }
  | { via: 'token'; account: Account };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether the Origin a browser sent is this collector's own. Browsers send it on every
 * cross-site request and on same-origin POSTs; scripts without it (curl) have no cookies to
 * abuse, so a missing Origin is not a reason to refuse.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function identify(req: IncomingMessage, db: Queryable, now: Date): Promise<Principal | undefined> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const account = await findApiToken(db, bearer, now);
    return account ? { via: 'token', account } : undefined;
  }
  const sessionId = readCookie(req, SESSION_COOKIE);
  if (!sessionId) return undefined;
  const session = await findSession(db, sessionId, now);
  return session ? { via: 'session', account: session.account, sessionId, csrfToken: session.csrfToken } : undefined;
}

/**
 * The door to everything under /api but health and sign-in. Reads need a session or an API
 * token; changes need a session, its CSRF token in X-CSRF-Token, a JSON body and, from a
 * browser, this origin. API tokens only read: a leaked one can't mint keys. Answers the
 * refusal itself and returns undefined.
 */
export async function admit(req: IncomingMessage, res: ServerResponse, db: Queryable, now: Date): Promise<Principal | undefined> {
  const principal = await identify(req, db, now);
  if (!principal) {
    sendJson(res, 401, { ok: false, errors: ['sign in first: a session cookie, or Authorization: Bearer <API token>'] });
    return undefined;
  }
  if (SAFE_METHODS.has(req.method ?? 'GET')) return principal;
  if (principal.via === 'token') {
    sendJson(res, 403, { ok: false, errors: ['API tokens are read-only: sign in to the dashboard to change anything'] });
    return undefined;
  }
  const csrf = req.headers['x-csrf-token'];
  if (typeof csrf !== 'string' || !sameSecret(csrf, principal.csrfToken) || !isSameOrigin(req)) {
    sendJson(res, 403, { ok: false, errors: ['missing or wrong X-CSRF-Token (or another origin): reload the dashboard'] });
    return undefined;
  }
  return principal;
}

