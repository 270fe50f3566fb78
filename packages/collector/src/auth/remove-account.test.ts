import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDashboard, startTestCollector, uniqueKeys, type Json, type TestCollector } from '../test-support/fixture.ts';

// Accounts could only be added: a colleague who left kept reading every customer's data, and
// acting (minting keys), through their session and their API tokens.
describe("removing a colleague's account", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ dataDir: null, databaseUrl: null, keys: uniqueKeys(1) });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('signs them out everywhere: their session and their API tokens stop working, and they cannot sign in again', async () => {
    const admin = await signInDashboard(collector.url, collector.admin.email, collector.admin.password);
    expect((await admin.post('/api/accounts', { email: 'sam@acme.test', password: 'a long passphrase' })).status).toBe(201);
    const sam = await signInDashboard(collector.url, 'sam@acme.test', 'a long passphrase');
    const token = String(((await (await sam.post('/api/tokens', { name: "Sam's script" })).json()) as Json)['token']);

    const removed = await admin.post('/api/accounts/remove', { email: 'Sam@acme.test' });
    expect(removed.status).toBe(200);

    expect((await sam.get('/api/insights/adoption')).status).toBe(401);
    expect((await sam.post('/api/keys', { name: 'after leaving' })).status).toBe(401);
    expect((await fetch(`${collector.url}/api/insights/adoption`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = await fetch(`${collector.url}/api/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: collector.url }, body: JSON.stringify({ email: 'sam@acme.test', password: 'a long passphrase' }),
    });
    expect(again.status).toBe(401);
    const accounts = ((await (await admin.get('/api/accounts')).json()) as { accounts: { email: string }[] }).accounts;
    expect(accounts.map((a) => a.email)).not.toContain('sam@acme.test');
  });

  it('never removes the account doing it (nobody could sign in to undo it), nor an account that does not exist', async () => {
    const admin = await signInDashboard(collector.url, collector.admin.email, collector.admin.password);
    expect((await admin.post('/api/accounts/remove', { email: collector.admin.email })).status).toBe(409);
    expect((await admin.post('/api/accounts/remove', { email: 'nobody@acme.test' })).status).toBe(404);
    expect((await admin.get('/api/insights/adoption')).status).toBe(200);
  });
});
