import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDashboard, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

/** A signed-in dashboard page of `email`: POSTs with an optional Idempotency-Key, GETs, their answers read. */
async function signIn(url: string, email: string, password: string) {
  const page = await signInDashboard(url, email, password);
  return {
    post: async (path: string, body: Json, idempotencyKey?: string) => {
      const res = await page.post(path, body, idempotencyKey);
      return { status: res.status, body: (await res.json()) as Json };
    },
    get: async (path: string) => (await (await page.get(path)).json()) as Json,
  };
}

type Page = Awaited<ReturnType<typeof signIn>>;

// An Idempotency-Key says "this is the request I sent before, its answer lost". The first
// version matched it across accounts and whatever the body asked, and answered the key as it is
// now: another account's key, a rotated secret, a revoked key, a token a script already runs with.
describe('sending a create again under an Idempotency-Key already used', () => {
  let collector: TestCollector;
  let ann: Page;
  let ben: Page;
  const readsWith = async (token: unknown) => (await fetch(`${collector.url}/api/tokens`, { headers: { Authorization: `Bearer ${String(token)}` } })).status;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
    ann = await signIn(collector.url, collector.admin.email, collector.admin.password);
    expect((await ann.post('/api/accounts', { email: 'ben@acme.test', password: 'a long passphrase' })).status).toBe(201);
    ben = await signIn(collector.url, 'ben@acme.test', 'a long passphrase');
  });
  afterAll(async () => {
    await collector?.close();
  });

  it("gives a colleague who happens to pick the same Idempotency-Key their own new key, never the other's key or its secret", async () => {
    const production = await ann.post('/api/keys', { name: 'Production', secret: true }, 'setup-1');
    const rotated = await ann.post(`/api/keys/${String(production.body['key'])}/rotate`, {});
    const staging = await ben.post('/api/keys', { name: 'Staging', secret: false }, 'setup-1');
    expect(staging.status).toBe(201);
    expect(staging.body['key']).not.toBe(production.body['key']);
    expect(staging.body['secret']).toBeUndefined();
    expect(JSON.stringify(staging.body)).not.toContain(String(rotated.body['secret']));
    const named = ((await ben.get('/api/keys'))['writeKeys'] as Json[]).find((k) => k['key'] === staging.body['key']);
    expect(named).toMatchObject({ name: 'Staging', hasSecret: false });
  });

  it('refuses a different request under a key already used (422) rather than answer the first one', async () => {
    await ann.post('/api/keys', { name: 'Web', secret: true }, 'setup-2');
    const other = await ann.post('/api/keys', { name: 'Mobile', secret: false }, 'setup-2');
    expect(other.status).toBe(422);
    const keys = (await ann.get('/api/keys'))['writeKeys'] as Json[];
    expect(keys.filter((k) => k['name'] === 'Mobile')).toHaveLength(0);
  });

  it('never shows, as the create\'s answer, a secret a rotation made since', async () => {
    const made = await ann.post('/api/keys', { name: 'Rotated since', secret: true }, 'setup-3');
    const rotated = await ann.post(`/api/keys/${String(made.body['key'])}/rotate`, {});
    const again = await ann.post('/api/keys', { name: 'Rotated since', secret: true }, 'setup-3');
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(String(rotated.body['secret']));
  });

  it('treats a key used over a day ago as a mistake, not a retry (422)', async () => {
    const made = await ann.post('/api/keys', { name: 'Yesterday', secret: true }, 'setup-4');
    await collector.db.query("update linger_write_keys set created_at = now() - interval '25 hours' where key = $1", [String(made.body['key'])]);
    const again = await ann.post('/api/keys', { name: 'Yesterday', secret: true }, 'setup-4');
    expect(again.status).toBe(422);
    expect(again.body['secret']).toBeUndefined();
  });

  it('answers a live key when the one made under that Idempotency-Key was revoked since, and the same one on the next retry', async () => {
    const lost = await ann.post('/api/keys', { name: 'Checkout', secret: true }, 'setup-5');
    await ann.post(`/api/keys/${String(lost.body['key'])}/revoke`, {});
    const again = await ann.post('/api/keys', { name: 'Checkout', secret: true }, 'setup-5');
    const third = await ann.post('/api/keys', { name: 'Checkout', secret: true }, 'setup-5');
    expect(again.status).toBe(201);
    expect(again.body['key']).not.toBe(lost.body['key']);
    expect((await ann.get('/api/keys'))['keys']).toContain(again.body['key']);
    expect(third.body).toEqual(again.body);
    const live = ((await ann.get('/api/keys'))['writeKeys'] as Json[]).filter((k) => k['name'] === 'Checkout' && k['revokedAt'] === null);
    expect(live).toHaveLength(1);
  });

  it('never replaces a token a script already uses: the rerun is refused and the script keeps reading', async () => {
    const first = await ann.post('/api/tokens', { name: 'CI' }, 'ci');
    expect(await readsWith(first.body['token'])).toBe(200);
    const rerun = await ann.post('/api/tokens', { name: 'CI' }, 'ci');
    expect(rerun.status).toBe(409);
    expect(await readsWith(first.body['token'])).toBe(200);
  });

  it('refuses a token of another name under a used Idempotency-Key (422), leaving the first one working', async () => {
    const first = await ann.post('/api/tokens', { name: 'Exports' }, 'tok-2');
    const other = await ann.post('/api/tokens', { name: 'Backups' }, 'tok-2');
    expect(other.status).toBe(422);
    const tokens = (await ann.get('/api/tokens'))['tokens'] as Json[];
    expect(tokens.filter((t) => t['name'] === 'Backups')).toHaveLength(0);
    expect(tokens.find((t) => t['id'] === first.body['id'])).toMatchObject({ name: 'Exports', revokedAt: null });
  });

  it('treats a token create sent again over a day later as a mistake, not a retry (422): the token made then stays the one that works', async () => {
    const made = await ann.post('/api/tokens', { name: 'Weekly' }, 'tok-4');
    await collector.db.query("update linger_api_tokens set created_at = now() - interval '25 hours' where id = $1", [Number(made.body['id'])]);
    const again = await ann.post('/api/tokens', { name: 'Weekly' }, 'tok-4');
    expect(again.status).toBe(422);
    expect(again.body['token']).toBeUndefined();
    expect(await readsWith(made.body['token'])).toBe(200);
  });

  it('counts the day a token create may be sent again from the first create, not from the latest replay: a script retrying forever gets no token a day on', async () => {
    const made = await ann.post('/api/tokens', { name: 'Hourly' }, 'tok-5');
    const age = (hours: number) => collector.db.query(`update linger_api_tokens set created_at = created_at - interval '${hours} hours' where id = $1`, [Number(made.body['id'])]);
    await age(23);
    expect((await ann.post('/api/tokens', { name: 'Hourly' }, 'tok-5')).status).toBe(201);
    // two hours on, the first create is 25 h old: no longer a lost answer's retry
    await age(2);
    const late = await ann.post('/api/tokens', { name: 'Hourly' }, 'tok-5');
    expect(late.status).toBe(422);
    expect(late.body['token']).toBeUndefined();
  });

  it('keeps the token a page was shown when an earlier try of the same create, held on its way, arrives after it (the page reloaded meanwhile)', async () => {
    const page = await signInDashboard(collector.url, collector.admin.email, collector.admin.password);
    // the dashboard numbers its tries of one create: the reloaded page's second try is answered first
    const tryNumber = (n: number) =>
      fetch(`${collector.url}/api/tokens`, {
        method: 'POST',
        headers: { Cookie: page.cookie, 'Content-Type': 'application/json', Origin: collector.url, 'X-CSRF-Token': page.csrf, 'Idempotency-Key': 'tok-6', 'Idempotency-Attempt': String(n) },
        body: JSON.stringify({ name: 'Reloaded' }),
      });
    const shown = (await (await tryNumber(2)).json()) as Json;
    const late = await tryNumber(1);
    expect(await readsWith(shown['token'])).toBe(200);
    expect(late.status).toBe(409);
    const live = ((await ann.get('/api/tokens'))['tokens'] as Json[]).filter((t) => t['name'] === 'Reloaded' && t['revokedAt'] === null);
    expect(live).toHaveLength(1);
  });

  it('answers the same try sent twice (a browser or proxy resending the POST whose answer was lost) with one working token, leaving none that nobody holds', async () => {
    const page = await signInDashboard(collector.url, collector.admin.email, collector.admin.password);
    const firstTry = () =>
      fetch(`${collector.url}/api/tokens`, {
        method: 'POST',
        headers: { Cookie: page.cookie, 'Content-Type': 'application/json', Origin: collector.url, 'X-CSRF-Token': page.csrf, 'Idempotency-Key': 'tok-7', 'Idempotency-Attempt': '1' },
        body: JSON.stringify({ name: 'Resent' }),
      });
    await firstTry();
    // the answer to that one never reached the page: the resend's is the one shown
    const resent = await firstTry();
    expect(resent.status).toBe(201);
    expect(await readsWith(((await resent.json()) as Json)['token'])).toBe(200);
    const live = ((await ann.get('/api/tokens'))['tokens'] as Json[]).filter((t) => t['name'] === 'Resent' && t['revokedAt'] === null);
    expect(live).toHaveLength(1);
  });

  it('leaves one live token however often a create is sent again after its token was revoked', async () => {
    const first = await ann.post('/api/tokens', { name: 'Nightly' }, 'tok-3');
    await ann.post(`/api/tokens/${String(first.body['id'])}/revoke`, {});
    const second = await ann.post('/api/tokens', { name: 'Nightly' }, 'tok-3');
    const third = await ann.post('/api/tokens', { name: 'Nightly' }, 'tok-3');
    expect([second.status, third.status]).toEqual([201, 201]);
    const live = ((await ann.get('/api/tokens'))['tokens'] as Json[]).filter((t) => t['name'] === 'Nightly' && t['revokedAt'] === null);
    expect(live).toHaveLength(1);
    expect([await readsWith(second.body['token']), await readsWith(third.body['token'])]).toEqual([401, 200]);
  });
});
