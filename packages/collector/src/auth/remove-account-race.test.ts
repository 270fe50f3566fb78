import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { createAccount } from './accounts.ts';
import { signInDashboard, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

/**
 * A POST whose headers the collector has taken (and checked the session of) while its body is
 * still on the way, as on a slow link. The collector answers `100 Continue` before it looks at
 * the request, so once that came the session check is under way ahead of anything sent after.
 */
async function heldPost(url: string, page: { cookie: string; csrf: string }, path: string) {
  const { hostname, port } = new URL(url);
  const req = request({
    host: hostname, port, path, method: 'POST',
    headers: { Cookie: page.cookie, 'Content-Type': 'application/json', Origin: url, 'X-CSRF-Token': page.csrf, Expect: '100-continue' },
  });
  const answer = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on('error', reject);
  });
  await new Promise<void>((resolve) => (req.on('continue', resolve), req.flushHeaders()));
  return { finish: (body: Json) => (req.end(JSON.stringify(body)), answer) };
}

// The session is checked when a request's headers come; its body can follow much later. The
// account removal acted on the sender as they were then, so whoever was removed in between
// could still remove the others, down to no account at all (nobody left to sign in).
describe.each(engines)('removing accounts while requests are under way ($name)', (engine) => {
  let collector: TestCollector;
  // a PostgreSQL server's accounts outlive the run
  const run = randomUUID().slice(0, 8);
  const eveEmail = `eve-${run}@acme.test`;
  const anaEmail = `ana-${run}@acme.test`;
  const boEmail = `bo-${run}@acme.test`;
  beforeAll(async () => {
    if (engine.skipReason) return;
    collector = await startTestCollector({ ...engine.options, keys: uniqueKeys(1) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it.skipIf(engine.skipReason)(`a removed colleague's request still on its way removes nobody (${engineTitle(engine)})`, async () => {
    const admin = await signInDashboard(collector.url, collector.admin.email, collector.admin.password);
    expect((await admin.post('/api/accounts', { email: eveEmail, password: 'a long passphrase' })).status).toBe(201);
    const eve = await signInDashboard(collector.url, eveEmail, 'a long passphrase');
    const evesRemoval = await heldPost(collector.url, eve, '/api/accounts/remove');

    expect((await admin.post('/api/accounts/remove', { email: eveEmail })).status).toBe(200);
    expect(await evesRemoval.finish({ email: collector.admin.email })).toBe(401);

    expect((await admin.get('/api/accounts')).status).toBe(200);
    const accounts = ((await (await admin.get('/api/accounts')).json()) as { accounts: { email: string }[] }).accounts;
    expect(accounts.map((a) => a.email)).toContain(collector.admin.email);
    expect(accounts.map((a) => a.email)).not.toContain(eveEmail);
  });

  it.skipIf(engine.skipReason)(`a removed colleague's write key creation still on its way makes no key (${engineTitle(engine)})`, async () => {
    const leaverEmail = `leaver-${run}@acme.test`;
    await createAccount(collector.db, leaverEmail, 'a long passphrase');
    const leaver = await signInDashboard(collector.url, leaverEmail, 'a long passphrase');
    const keyCreation = await heldPost(collector.url, leaver, '/api/keys');

    await collector.db.query('delete from linger_accounts where email = $1', [leaverEmail]);
    expect(await keyCreation.finish({ name: `after leaving ${run}` })).toBe(401);

    const { rows } = await collector.db.query('select key from linger_write_keys where name = $1', [`after leaving ${run}`]);
    expect(rows).toHaveLength(0);
  });

  it.skipIf(engine.skipReason)(`two colleagues removing each other at once leave one of them (${engineTitle(engine)})`, async () => {
    // made directly: this story must not hang on the one before it
    for (const email of [anaEmail, boEmail]) await createAccount(collector.db, email, 'a long passphrase');
    const ana = await signInDashboard(collector.url, anaEmail, 'a long passphrase');
    const bo = await signInDashboard(collector.url, boEmail, 'a long passphrase');
    const anaRemovesBo = await heldPost(collector.url, ana, '/api/accounts/remove');
    const boRemovesAna = await heldPost(collector.url, bo, '/api/accounts/remove');

    const statuses = await Promise.all([anaRemovesBo.finish({ email: boEmail }), boRemovesAna.finish({ email: anaEmail })]);

    expect(statuses.sort()).toEqual([200, 401]);
    const { rows } = await collector.db.query('select email from linger_accounts where email = any($1)', [[anaEmail, boEmail]]);
    expect(rows).toHaveLength(1);
  });
});
