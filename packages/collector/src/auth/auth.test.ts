import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCollector } from '../server.ts';
import { bootstrapAdmin } from './bootstrap.ts';
import { userHashFor } from '../ingest/user-hash.ts';
import { msg, sendBatch, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';
const READS = ['/api/insights/adoption', '/api/insights/satisfaction', '/api/events/recent', '/api/segments', '/api/keys', '/api/tokens'];

/** A browser on the dashboard: keeps the session cookie and the CSRF token it was given. */
function browserSession(url: string, forwardedFor?: string) {
  let cookie = '';
  let csrf = '';
  return {
    async signIn(email: string, password: string) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: url, ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) },
        body: JSON.stringify({ email, password }),
      });
      const body = (await res.json()) as Json;
      const setCookie = res.headers.get('set-cookie') ?? '';
      if (res.status === 200) {
        cookie = setCookie.split(';')[0] ?? '';
        csrf = String(body['csrfToken']);
      }
      return { status: res.status, body, setCookie };
    },
    cookie: () => cookie,
    csrf: () => csrf,
    get: (path: string) => fetch(`${url}${path}`, { headers: { Cookie: cookie } }),
    post: (path: string, body: Json = {}, withCsrf = true) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: url, ...(withCsrf ? { 'X-CSRF-Token': csrf } : {}) },
        body: JSON.stringify(body),
      }),
  };
}

describe('signing in to the dashboard', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(2) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('refuses every read to someone who has not signed in (401)', async () => {
    for (const path of READS) {
      const res = await fetch(`${collector.url}${path}`);
      expect([path, res.status]).toEqual([path, 401]);
    }
    const forged = await fetch(`${collector.url}/api/keys`, { headers: { Cookie: 'linger_session=made-up', Authorization: 'Bearer lgr_made-up' } });
    expect(forged.status).toBe(401);
  });

  it('treats a garbled session cookie (another app on the same host, a broken extension) as signed out, not as an internal error', async () => {
    for (const cookie of ['linger_session=%E0%A4%A', 'other=1; linger_session=%']) {
      const read = await fetch(`${collector.url}/api/insights/adoption`, { headers: { Cookie: cookie } });
      expect([cookie, read.status]).toEqual([cookie, 401]);
      const session = await fetch(`${collector.url}/api/auth/session`, { headers: { Cookie: cookie } });
      expect([cookie, session.status]).toEqual([cookie, 401]);
    }
  });

  it('keeps the health check open, and the page itself (it only shows the sign-in form)', async () => {
    expect((await fetch(`${collector.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${collector.url}/`)).status).toBe(200);
  });

  it('signs in with the right password into an HttpOnly, SameSite=Strict session', async () => {
    const browser = browserSession(collector.url);
    const { status, setCookie } = await browser.signIn(collector.admin.email, collector.admin.password);
    expect(status).toBe(200);
    expect(setCookie).toMatch(/^linger_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    // plain http on loopback: a Secure cookie would never come back
    expect(setCookie).not.toMatch(/Secure/);
    for (const path of READS) expect([path, (await browser.get(path)).status]).toEqual([path, 200]);
    const session = (await (await browser.get('/api/auth/session')).json()) as Json;
    expect(session).toMatchObject({ ok: true, account: { email: collector.admin.email }, via: 'session' });
  });

  it('marks the cookie Secure when served over https (behind a TLS proxy)', async () => {
    const res = await fetch(`${collector.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
      body: JSON.stringify(collector.admin),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses a wrong password, and an unknown email, the same way', async () => {
    const browser = browserSession(collector.url);
    const wrong = await browser.signIn(collector.admin.email, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.setCookie).toBe('');
    const unknown = await browser.signIn('nobody@example.test', collector.admin.password);
    expect(unknown).toMatchObject({ status: 401, body: wrong.body });
    expect((await browser.get('/api/keys')).status).toBe(401);
  });

  it('answers a sign-in body over 16 KiB with 413 Payload Too Large, as a proxy or client expects, not 400', async () => {
    const res = await fetch(`${collector.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: collector.url },
      body: JSON.stringify({ ...collector.admin, padding: 'x'.repeat(17 * 1024) }),
    });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 413, body: { ok: false, errors: [expect.stringMatching(/^body is \d+ bytes; the limit is 16384$/)] } });
  });

  it('stores no password: only a salted scrypt hash, different for the same password', async () => {
    const { rows } = await collector.db.query<{ password_hash: string }>('select password_hash from linger_accounts');
    const hash = rows.find(() => true)?.password_hash ?? '';
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain(collector.admin.password);
  });

  it('refuses a change without the CSRF token, or from another origin', async () => {
    const browser = browserSession(collector.url);
    await browser.signIn(collector.admin.email, collector.admin.password);
    const noToken = await browser.post('/api/keys', { name: 'csrf' }, false);
    expect(noToken.status).toBe(403);
    const { writeKeys } = (await (await browser.get('/api/keys')).json()) as { writeKeys: Json[] };
    expect(writeKeys.some((k) => k['name'] === 'csrf')).toBe(false);
    // even a page that somehow learnt the token can't use it from its own origin
    const elsewhere = await fetch(`${collector.url}/api/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.test', Cookie: browser.cookie(), 'X-CSRF-Token': browser.csrf() },
      body: JSON.stringify({ name: 'csrf' }),
    });
    expect(elsewhere.status).toBe(403);
    expect((await browser.post('/api/keys', { name: 'same origin' })).status).toBe(201);
  });

  it('lets an API token read, but not change anything', async () => {
    const headers = { Authorization: `Bearer ${collector.readToken}` };
    expect((await fetch(`${collector.url}/api/insights/churn`, { headers })).status).toBe(200);
    const write = await fetch(`${collector.url}/api/keys`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(403);
  });

  it('issues and revokes API tokens from a session', async () => {
    const browser = browserSession(collector.url);
    await browser.signIn(collector.admin.email, collector.admin.password);
    const created = (await (await browser.post('/api/tokens', { name: 'nightly export' })).json()) as Json;
    const headers = { Authorization: `Bearer ${String(created['token'])}` };
    expect((await fetch(`${collector.url}/api/insights/adoption`, { headers })).status).toBe(200);
    expect((await browser.post(`/api/tokens/${String(created['id'])}/revoke`)).status).toBe(200);
    expect((await fetch(`${collector.url}/api/insights/adoption`, { headers })).status).toBe(401);
    // listed without the token itself
    const listed = await (await browser.get('/api/tokens')).text();
    expect(listed).toContain('nightly export');
    expect(listed).not.toContain(String(created['token']));
  });

  it("adds a colleague's account, who can then sign in", async () => {
    const browser = browserSession(collector.url);
    await browser.signIn(collector.admin.email, collector.admin.password);
    const colleague = { email: 'Sam@Acme.test', password: 'a long passphrase' };
    expect((await browser.post('/api/accounts', { ...colleague, password: 'short' })).status).toBe(400);
    expect((await browser.post('/api/accounts', colleague)).status).toBe(201);
    expect((await browser.post('/api/accounts', colleague)).status).toBe(409);
    const sam = browserSession(collector.url);
    expect((await sam.signIn('sam@acme.test', colleague.password)).status).toBe(200);
    expect((await sam.get('/api/insights/adoption')).status).toBe(200);
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const account = { email: 'pat@acme.test', password: 'first passphrase' };
    const admin = browserSession(collector.url);
    await admin.signIn(collector.admin.email, collector.admin.password);
    await admin.post('/api/accounts', account);
    const laptop = browserSession(collector.url);
    const phone = browserSession(collector.url);
    await laptop.signIn(account.email, account.password);
    await phone.signIn(account.email, account.password);
    expect((await laptop.post('/api/auth/password', { current: 'a guess', password: 'second passphrase' })).status).toBe(403);
    expect((await laptop.post('/api/auth/password', { current: account.password, password: 'second passphrase' })).status).toBe(200);
    expect((await laptop.get('/api/keys')).status).toBe(200);
    expect((await phone.get('/api/keys')).status).toBe(401);
    expect((await browserSession(collector.url).signIn(account.email, account.password)).status).toBe(401);
    expect((await browserSession(collector.url).signIn(account.email, 'second passphrase')).status).toBe(200);
  });

  it('signs out: the session cookie stops working', async () => {
    const browser = browserSession(collector.url);
    await browser.signIn(collector.admin.email, collector.admin.password);
    const out = await browser.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await browser.get('/api/insights/adoption')).status).toBe(401);
  });

  it('slows down guessing: past 10 quick sign-in attempts from one address, the next ones wait', async () => {
    // The collector's clock held still: each scrypt check takes a while on a busy machine, and a
    // refill (one every 6 s) during the 11 checks must not let the right password in below.
    const at = new Date();
    const guesser = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1), now: () => at });
    try {
      const browser = browserSession(guesser.url);
      // all at once, as a guessing script would: the refill (one every 6 s) can't blur the count
      const guesses = await Promise.all(Array.from({ length: 11 }, (_, i) => browser.signIn(guesser.admin.email, `guess-${i}`)));
      const statuses = guesses.map((g) => g.status).sort();
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
      // even the right password waits now
      expect((await browser.signIn(guesser.admin.email, guesser.admin.password)).status).toBe(429);
    } finally {
      await guesser.close();
    }
  });

  it('behind the vendor\'s own proxy (--trust-proxy), slows down the guesser only: a colleague signing in through the same proxy gets in', async () => {
    const at = new Date();
    const guesser = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1), now: () => at, trustProxy: ['127.0.0.1', '::1'] });
    try {
      const attacker = browserSession(guesser.url, '203.0.113.7');
      const guesses = await Promise.all(Array.from({ length: 11 }, (_, i) => attacker.signIn(guesser.admin.email, `guess-${i}`)));
      expect(guesses.map((g) => g.status).sort()).toEqual([...Array<number>(10).fill(401), 429]);
      const colleague = browserSession(guesser.url, '198.51.100.20');
      expect((await colleague.signIn(guesser.admin.email, guesser.admin.password)).status).toBe(200);
      // a header the proxy did not vouch for changes nothing: the guesser cannot pass for a new client
      const spoofing = browserSession(guesser.url, '192.0.2.1, 203.0.113.7')
      expect((await spoofing.signIn(guesser.admin.email, 'guess-again')).status).toBe(429);
    } finally {
      await guesser.close();
    }
  });
});

describe('a password checked anywhere but the sign-in form', () => {
  // The collector's clock held still, as in the sign-in throttling test: no refill blurs the count.
  const at = new Date();
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1), now: () => at });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('stops someone holding a stolen session from guessing the password through "change password": past 10 wrong tries, the next wait (429)', async () => {
    const account = { email: 'lee@acme.test', password: 'lees real passphrase' };
    const admin = browserSession(collector.url);
    await admin.signIn(collector.admin.email, collector.admin.password);
    expect((await admin.post('/api/accounts', account)).status).toBe(201);
    const owner = browserSession(collector.url);
    const stolen = browserSession(collector.url);
    for (const s of [owner, stolen]) expect((await s.signIn(account.email, account.password)).status).toBe(200);
    // all at once, as a guessing script would
    const guesses = await Promise.all(
      Array.from({ length: 11 }, (_, i) => stolen.post('/api/auth/password', { current: `guess-${i}`, password: 'the thief wants this' })),
    );
    expect(guesses.map((g) => g.status).sort()).toEqual([...Array<number>(10).fill(403), 429]);
    const right = await stolen.post('/api/auth/password', { current: account.password, password: 'the thief wants this' });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // the thief's guessing does not keep the owner from changing it (which signs the thief out)
    expect((await owner.post('/api/auth/password', { current: account.password, password: 'lees new passphrase' })).status).toBe(200);
    expect((await stolen.get('/api/keys')).status).toBe(401);
  });

  it('taking an account back by restarting with LINGER_ADMIN_PASSWORD signs every old session of it out', async () => {
    const account = { email: 'kim@acme.test', password: 'kims first passphrase' };
    const admin = browserSession(collector.url);
    await admin.signIn(collector.admin.email, collector.admin.password);
    expect((await admin.post('/api/accounts', account)).status).toBe(201);
    const intruder = browserSession(collector.url);
    expect((await intruder.signIn(account.email, account.password)).status).toBe(200);
    const reset = { email: account.email, password: 'kims second passphrase' };
    // what a start with LINGER_ADMIN_EMAIL / LINGER_ADMIN_PASSWORD does
    await bootstrapAdmin(collector.db, { admin: reset, host: '127.0.0.1', log: () => {} });
    expect((await intruder.get('/api/keys')).status).toBe(401);
    // every later start keeps the same variables set: that must not sign the owner out each time
    const owner = browserSession(collector.url);
    expect((await owner.signIn(reset.email, reset.password)).status).toBe(200);
    await bootstrapAdmin(collector.db, { admin: reset, host: '127.0.0.1', log: () => {} });
    expect((await owner.get('/api/keys')).status).toBe(200);
    expect((await admin.get('/api/keys')).status).toBe(200);
  });
});

describe('write keys managed in the dashboard', () => {
  let collector: TestCollector;
  let browser: ReturnType<typeof browserSession>;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
    browser = browserSession(collector.url);
    await browser.signIn(collector.admin.email, collector.admin.password);
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('creates a key with a secret that ingestion accepts and verifies with at once', async () => {
    const res = await browser.post('/api/keys', { name: 'Production' });
    expect(res.status).toBe(201);
    const { key, secret } = (await res.json()) as { key: string; secret: string };
    expect(key).toMatch(/^pk_/);
    expect(secret).toMatch(/^sk_/);
    const hashed = msg.track('u1', 'Verified', AT, {}, { context: { userHash: userHashFor(secret, 'u1') } });
    const { status, body } = await sendBatch(collector.url, key, [hashed]);
    expect([status, body['accepted']]).toEqual([200, 1]);
    const { rows } = await collector.db.query<{ verified: boolean }>('select verified from events where write_key = $1', [key]);
    expect(rows).toEqual([{ verified: true }]);
    const listed = await (await browser.get('/api/keys')).text();
    expect(listed).toContain('Production');
    expect(listed).not.toContain(secret);
  });

  it('rotates a secret: the old one verifies during the grace period, the new one at once', async () => {
    const { key, secret: old } = (await (await browser.post('/api/keys', { name: 'Rotating' })).json()) as { key: string; secret: string };
    const rotated = (await (await browser.post(`/api/keys/${key}/rotate`)).json()) as { secret: string };
    expect(rotated.secret).not.toBe(old);
    for (const [name, secret] of [['new', rotated.secret], ['old', old]] as const) {
      await sendBatch(collector.url, key, [msg.track('u1', name, AT, {}, { context: { userHash: userHashFor(secret, 'u1') } })]);
    }
    const { rows } = await collector.db.query<{ event: string; verified: boolean }>('select event, verified from events where write_key = $1 order by id', [key]);
    expect(rows).toEqual([{ event: 'new', verified: true }, { event: 'old', verified: true }]);
    const { writeKeys } = (await (await browser.get('/api/keys')).json()) as { writeKeys: Json[] };
    expect(writeKeys.find((k) => k['key'] === key)?.['previousSecretUntil']).toEqual(expect.any(String));
  });

  it("rotates again before the grace period ends (the new secret not copied, or the answer lost) without cutting off the servers' secret", async () => {
    const { key, secret: servers } = (await (await browser.post('/api/keys', { name: 'Rotated twice' })).json()) as { key: string; secret: string };
    // the first rotation committed, but its secret never reached anyone (shown once, then lost)
    expect((await browser.post(`/api/keys/${key}/rotate`)).status).toBe(200);
    const retried = (await (await browser.post(`/api/keys/${key}/rotate`)).json()) as { secret: string };
    for (const [name, secret] of [['servers not switched yet', servers], ['switched', retried.secret]] as const) {
      await sendBatch(collector.url, key, [msg.track('u1', name, AT, {}, { context: { userHash: userHashFor(secret, 'u1') } })]);
    }
    const stored = async () => (await collector.db.query<{ event: string; verified: boolean }>('select event, verified from events where write_key = $1 order by id', [key])).rows;
    await expect.poll(stored).toEqual([{ event: 'servers not switched yet', verified: true }, { event: 'switched', verified: true }]);
  });

  it('answers a revocation sent again (its first answer lost) as done, not as "no live key"', async () => {
    const { key } = (await (await browser.post('/api/keys', { name: 'Revoked twice' })).json()) as { key: string };
    expect((await browser.post(`/api/keys/${key}/revoke`)).status).toBe(200);
    const again = await browser.post(`/api/keys/${key}/revoke`);
    expect([again.status, await again.json()]).toEqual([200, { ok: true, key }]);
  });

  it('revokes a key: ingestion refuses it from then on', async () => {
    const { key } = (await (await browser.post('/api/keys', { name: 'Leaked' })).json()) as { key: string };
    expect((await sendBatch(collector.url, key, [msg.page('u1', AT)])).status).toBe(200);
    expect((await browser.post(`/api/keys/${key}/revoke`)).status).toBe(200);
    // the ingestion cache holds a key for at most 2 s
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await sendBatch(collector.url, key, [msg.page('u1', AT)])).status).toBe(401);
    const { keys } = (await (await browser.get('/api/keys')).json()) as { keys: string[] };
    expect(keys).not.toContain(key);
  });

  it('answers a garbled key or token address with a clear 404, not an internal error', async () => {
    for (const path of ['/api/keys/%E0%A4%A/rotate', '/api/keys/%/revoke', '/api/tokens/99999999999999999999/revoke']) {
      const res = await browser.post(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as Json)['errors']).toEqual([expect.stringMatching(/^no (live key|such token)/)]);
    }
  });

  it('shows the keys set by flags, and says they are changed by flags', async () => {
    const [flagKey] = (await (await browser.get('/api/keys')).json() as { keys: string[] }).keys;
    const res = await browser.post(`/api/keys/${flagKey}/revoke`);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ ok: false, errors: [`${flagKey} is set by --keys: change the flags to change it`] });
  });
});

const lanAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(lanAddress === undefined)(`a collector bound to 0.0.0.0${lanAddress ? '' : ' (skipped: no network interface)'}`, () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, host: '0.0.0.0', keys: uniqueKeys(1) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('refuses anonymous reads from the network', async () => {
    const base = `http://${lanAddress}:${collector.port}`;
    for (const path of READS) expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 401]);
    expect((await fetch(`${base}/api/insights/churn`, { headers: { Authorization: `Bearer ${collector.readToken}` } })).status).toBe(200);
  });
});

describe('the first start', () => {
  const start = (host: string) =>
    startCollector({ ...(inject('pgliteTemplate') ? { pgliteTemplate: inject('pgliteTemplate') } : {}), port: 0, host, dataDir: null, databaseUrl: null, log: () => {}, flowsPath: '/nonexistent/flows.json' });

  it('on loopback, creates a local admin and hands its generated password over once', async () => {
    const collector = await start('127.0.0.1');
    try {
      expect(collector.signIn?.email).toBe('admin@localhost');
      expect(collector.signIn?.password).toMatch(/^[\w-]{24}$/);
      const browser = browserSession(collector.url);
      expect((await browser.signIn(collector.signIn!.email, collector.signIn!.password)).status).toBe(200);
      expect((await browser.get('/api/insights/adoption')).status).toBe(200);
    } finally {
      await collector.close();
    }
  });

  it('on 0.0.0.0, creates no account: nobody can sign in until credentials are given', async () => {
    const collector = await start('0.0.0.0');
    try {
      expect(collector.signIn).toBeUndefined();
      const { rows } = await collector.db.query<{ n: number }>('select count(*)::int as n from linger_accounts');
      expect(rows[0]?.n).toBe(0);
    } finally {
      await collector.close();
    }
  });
});
