import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/database.ts';
import { readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { changePassword, checkPassword, createAccount, listAccounts, passwordProblem } from './accounts.ts';
import { issueApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { sessionCookie } from './cookies.ts';
import { admit, identify, isSameOrigin, type Principal } from './gate.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { createSession, endSession, SESSION_SECONDS } from './sessions.ts';
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
type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 413; error: string };

async function readJson(req: IncomingMessage): Promise<JsonBody> {
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
  const read = await readJson(req);
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
    answerChange(res, await deps.writeKeys.create(name, body['secret'] !== false), 201);
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
    const { token, info } = await issueApiToken(deps.db, principal.account.id, name);
    sendJson(res, 201, { ok: true, token, ...info });
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
