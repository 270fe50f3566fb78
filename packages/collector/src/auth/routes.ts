import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/database.ts';
import { readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { changePassword, checkPassword, createAccount, listAccounts, passwordProblem, removeAccount } from './accounts.ts';
import { issueApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { sessionCookie } from './cookies.ts';
import { admit, identify, isSameOrigin, type Principal } from './gate.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { createSession, endSession, findSession, SESSION_SECONDS } from './sessions.ts';
import { digest } from './tokens.ts';
import type { ChangeResult, WriteKeyRegistry } from './write-keys.ts';

export interface AuthDeps {
  db: Database;
  writeKeys: WriteKeyRegistry;
  /** Sign-in attempts per client address, and password checks per session (`session:<digest>`). */
  loginThrottle: LoginThrottle;
  /** The client's address: the socket's, or through the vendor's trusted proxies (http/client-address.ts). */
  clientAddress: (req: IncomingMessage) => string;
  now: () => Date;
}

/** A JSON object body, or why it was not taken: 413 over the limit (the sender must send less), 400 otherwise. */
type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 401 | 413; error: string };

async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return { ok: false, status: 400, error: 'send Content-Type: application/json' };
  const body = await readBody(req, 16 * 1024);
  if (!body.ok) return body;
  try {
    const value: unknown = JSON.parse(body.text || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { ok: true, value: value as Record<string, unknown> }
      : { ok: false, status: 400, error: 'body must be a JSON object' };
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON' };
  }
}

/** Answers a body that was not taken; an unread one over the limit also closes the connection. */
function refuseBody(res: ServerResponse, problem: Extract<JsonBody, { ok: false }>): true {
  sendJson(res, problem.status, { ok: false, errors: [problem.error] }, problem.status === 413 ? { Connection: 'close' } : {});
  return true;
}

/** A path segment decoded; undefined when its %-escapes are broken (a 404, never a 500). */
function decodedOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const IDEMPOTENCY_RULE = 'Idempotency-Key: 1 to 200 characters';

/** The create's Idempotency-Key: undefined without one, null when it breaks IDEMPOTENCY_RULE. */
function idempotencyKey(req: IncomingMessage): string | undefined | null {
  const value = req.headers['idempotency-key'];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : null;
}

/** Which try of one create (Idempotency-Attempt, 1 and up): undefined without one, null when malformed. */
function idempotencyAttempt(req: IncomingMessage): number | undefined | null {
  const value = req.headers['idempotency-attempt'];
  if (value === undefined) return undefined;
  return typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);

async function login(req: IncomingMessage, res: ServerResponse, deps: AuthDeps): Promise<void> {
  const client = deps.clientAddress(req) || 'unknown';
  const wait = deps.loginThrottle.take(client, deps.now().getTime());
  if (wait > 0) {
    sendJson(res, 429, { ok: false, errors: [`too many sign-in attempts; retry in ${wait} s`] }, { 'Retry-After': String(wait) });
    req.resume();
    return;
  }
  if (!isSameOrigin(req)) {
    sendJson(res, 403, { ok: false, errors: ['sign in from the dashboard itself'] });
    req.resume();
    return;
  }
  const read = await readJsonBody(req);
  if (!read.ok) {
    refuseBody(res, read);
    return;
  }
  const body = read.value;
  const email = text(body['email'], 320);
  const password = text(body['password'], 1024);
  if (!email || !password) {
    sendJson(res, 400, { ok: false, errors: ['email and password: required strings'] });
    return;
  }
  const account = await checkPassword(deps.db, email, password);
  if (!account) {
    sendJson(res, 401, { ok: false, errors: ['wrong email or password'] });
    return;
  }
  deps.loginThrottle.succeeded(client, deps.now().getTime());
  const { id, session } = await createSession(deps.db, account, deps.now());
  sendJson(res, 200, { ok: true, account: { email: account.email }, csrfToken: session.csrfToken }, {
    'Set-Cookie': sessionCookie(req, id, SESSION_SECONDS),
  });
}

function answerChange(res: ServerResponse, result: ChangeResult, status = 200): void {
  if (result.ok) sendJson(res, status, { ok: true, key: result.key, ...(result.secret ? { secret: result.secret } : {}) });
  else sendJson(res, result.status, { ok: false, errors: [result.error] });
}

async function manage(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal, deps: AuthDeps): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  // The session was checked when the headers came; a body can take minutes to follow, and its
  // sender may have been removed or signed out meanwhile: a change is done only if still signed in.
  const readJson = async (request: IncomingMessage): Promise<JsonBody> => {
    const read = await readJsonBody(request);
    if (!read.ok || principal.via !== 'session') return read;
    const session = await findSession(deps.db, principal.sessionId, deps.now());
    return session?.account.id === principal.account.id ? read : { ok: false, status: 401, error: 'signed out meanwhile: sign in again' };
  };
  if (path === '/api/auth/logout' && method === 'POST') {
    if (principal.via === 'session') await endSession(deps.db, principal.sessionId, deps.now());
    sendJson(res, 200, { ok: true }, { 'Set-Cookie': sessionCookie(req, '', 0) });
    return true;
  }
  if (path === '/api/accounts' && method === 'GET') {
    sendJson(res, 200, { accounts: await listAccounts(deps.db) });
    return true;
  }
  if (path === '/api/accounts' && method === 'POST') {
    const read = await readJson(req);
    if (!read.ok) return refuseBody(res, read);
    const body = read.value;
    const email = text(body['email'], 320);
    const problem = !email || !/^[^@\s]+@[^@\s]+$/.test(email) ? 'email: an email address' : passwordProblem(body['password']);
    if (problem) return sendJson(res, 400, { ok: false, errors: [problem] }), true;
    const created = await createAccount(deps.db, email!, body['password'] as string);
    if (created) sendJson(res, 201, { ok: true, account: { email: created.email } });
    else sendJson(res, 409, { ok: false, errors: [`${email} already has an account`] });
    return true;
  }
  if (path === '/api/accounts/remove' && method === 'POST') {
    const read = await readJson(req);
    if (!read.ok) return refuseBody(res, read);
    const email = text(read.value['email'], 320);
    if (!email) return sendJson(res, 400, { ok: false, errors: ['email: the account to remove'] }), true;
    if (principal.via !== 'session') return false;
    const done = await removeAccount(deps.db, email, { accountId: principal.account.id, sessionHash: digest(principal.sessionId) }, deps.now());
    if (done === 'removed') sendJson(res, 200, { ok: true });
    else if (done === 'gone') sendJson(res, 401, { ok: false, errors: ['signed out meanwhile: sign in again'] });
    // nobody might be left to sign in and undo it
    else if (done === 'self') sendJson(res, 409, { ok: false, errors: ['you cannot remove your own account: ask a colleague'] });
    else sendJson(res, 404, { ok: false, errors: [`no account ${email}`] });
    return true;
  }
  if (path === '/api/auth/password' && method === 'POST' && principal.via === 'session') {
    const read = await readJson(req);
    if (!read.ok) return refuseBody(res, read);
    const body = read.value;
    // Counted per session, not per address: whoever holds a stolen session can change address
    // at will, and an unthrottled check would let them guess the password at full speed. Not
    // per account either, or the thief could keep the owner from changing it.
    const guesser = `session:${digest(principal.sessionId)}`;
    const wait = deps.loginThrottle.take(guesser, deps.now().getTime());
    if (wait > 0) {
      return sendJson(res, 429, { ok: false, errors: [`too many password attempts; retry in ${wait} s`] }, { 'Retry-After': String(wait) }), true;
    }
    const current = text(body['current'], 1024) ?? '';
    if (!(await checkPassword(deps.db, principal.account.email, current))) {
      return sendJson(res, 403, { ok: false, errors: ['current: wrong password'] }), true;
    }
    deps.loginThrottle.succeeded(guesser, deps.now().getTime());
    const problem = passwordProblem(body['password']);
    if (problem) return sendJson(res, 400, { ok: false, errors: [problem] }), true;
    await changePassword(deps.db, principal.account.id, body['password'] as string, digest(principal.sessionId));
    sendJson(res, 200, { ok: true });
    return true;
  }
  if (path === '/api/keys' && method === 'GET') {
    const writeKeys = await deps.writeKeys.list();
    sendJson(res, 200, { keys: writeKeys.filter((k) => k.revokedAt === null).map((k) => k.key), writeKeys });
    return true;
  }
  if (path === '/api/keys' && method === 'POST') {
    const read = await readJson(req);
    if (!read.ok) return refuseBody(res, read);
    const body = read.value;
    const name = body['name'] === undefined ? '' : text(body['name'], 100);
    if (name === undefined) return sendJson(res, 400, { ok: false, errors: ['name: a string of at most 100 characters'] }), true;
    const once = idempotencyKey(req);
    if (once === null) return sendJson(res, 400, { ok: false, errors: [IDEMPOTENCY_RULE] }), true;
    answerChange(res, await deps.writeKeys.create(name, body['secret'] !== false, once === undefined ? undefined : { account: principal.account.id, key: once }), 201);
    return true;
  }
  const keyAction = /^\/api\/keys\/([^/]+)\/(rotate|revoke)$/.exec(path);
  if (keyAction && method === 'POST') {
    const key = decodedOrUndefined(keyAction[1]!);
    if (key === undefined) answerChange(res, { ok: false, status: 404, error: `no live key ${keyAction[1]!}` });
    else answerChange(res, keyAction[2] === 'rotate' ? await deps.writeKeys.rotate(key) : await deps.writeKeys.revoke(key));
    return true;
  }
  if (path === '/api/tokens' && method === 'GET') {
    sendJson(res, 200, { tokens: await listApiTokens(deps.db) });
    return true;
  }
  if (path === '/api/tokens' && method === 'POST') {
    const read = await readJson(req);
    if (!read.ok) return refuseBody(res, read);
    const body = read.value;
    const name = text(body['name'], 100);
    if (!name) return sendJson(res, 400, { ok: false, errors: ['name: a string of 1 to 100 characters'] }), true;
    const once = idempotencyKey(req);
    if (once === null) return sendJson(res, 400, { ok: false, errors: [IDEMPOTENCY_RULE] }), true;
    const attempt = idempotencyAttempt(req);
    if (attempt === null) return sendJson(res, 400, { ok: false, errors: ['Idempotency-Attempt: a whole number from 1'] }), true;
    const made = await issueApiToken(deps.db, principal.account.id, name, once, deps.now(), attempt);
    if (made.ok) sendJson(res, 201, { ok: true, token: made.token, ...made.info });
    else sendJson(res, made.status, { ok: false, errors: [made.error] });
    return true;
  }
  const tokenAction = /^\/api\/tokens\/(\d+)\/revoke$/.exec(path);
  if (tokenAction && method === 'POST') {
    const id = Number(tokenAction[1]);
    // An id past any bigint would reach the database as 1e+20 and fail there (a 500).
    const done = Number.isSafeInteger(id) && (await revokeApiToken(deps.db, id, deps.now()));
    sendJson(res, done ? 200 : 404, done ? { ok: true } : { ok: false, errors: ['no such token'] });
    return true;
  }
  return false;
}

/**
 * Everything under /api except /api/health goes through here. Answers sign-in, sign-out, the
 * session check and key/token management itself; for the read-only insights API it returns
 * the signed-in principal and leaves the answer to the caller. Returns undefined once answered.
 */
export async function authorizeApi(req: IncomingMessage, res: ServerResponse, url: URL, deps: AuthDeps): Promise<Principal | undefined> {
  if (url.pathname === '/api/auth/login' && req.method === 'POST') {
    await login(req, res, deps);
    return undefined;
  }
  if (url.pathname === '/api/auth/session' && req.method === 'GET') {
    const principal = await identify(req, deps.db, deps.now());
    if (principal) sendJson(res, 200, { ok: true, account: { email: principal.account.email }, via: principal.via, ...(principal.via === 'session' ? { csrfToken: principal.csrfToken } : {}) });
    else sendJson(res, 401, { ok: false, errors: ['not signed in'] });
    return undefined;
  }
  const principal = await admit(req, res, deps.db, deps.now());
  if (!principal) {
    req.resume();
    return undefined;
  }
  if (await manage(req, res, url, principal, deps)) return undefined;
  return principal;
}
