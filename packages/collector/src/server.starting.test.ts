import { createServer } from 'node:net';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { Migration } from './db/migrations.ts';
import { startCollector, type RunningCollector } from './server.ts';
import { basicAuth, msg } from './test-support/fixture.ts';

/**
 * A migration appended to the real ones that waits until the test lets it go: a rebuild that
 * takes minutes on a vendor's data, held open here without slowing any real step.
 */
const held = vi.hoisted(() => {
  const state = {
    reached: Promise.resolve(),
    release: (_failure?: Error) => {},
    arm() {
      let reached = () => {};
      state.reached = new Promise<void>((resolve) => (reached = resolve));
      let gate: (failure?: Error) => void = () => {};
      const opened = new Promise<Error | undefined>((resolve) => (gate = resolve));
      state.release = gate;
      state.step = async () => {
        reached();
        const failure = await opened;
        if (failure) throw failure;
      };
    },
    step: async () => {},
  };
  return state;
});

vi.mock('./db/migrations.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./db/migrations.ts')>();
  const slow: Migration = { id: 100_000, name: 'rollups rebuilt (held by the test)', sql: 'select 1', after: () => held.step() };
  return {
    ...actual,
    migrate: (db: Parameters<typeof actual.migrate>[0], onApply?: (m: Migration) => void) => actual.migrate(db, onApply, [...actual.migrations, slow]),
  };
});

/** A port free right now: the collector must be reachable at a known address before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const ORIGIN = 'https://app.acme.test';
const KEY = 'pk_starting';
const AT = '2026-03-02T10:00:00.000Z';

describe('a collector upgrading its database', () => {
  let starting: Promise<RunningCollector> | undefined;

  afterEach(async () => {
    held.release();
    const collector = await starting?.catch(() => undefined);
    await collector?.close();
    starting = undefined;
  });

  const start = (port: number) => {
    const template = inject('pgliteTemplate');
    starting = startCollector({
      ...(template ? { pgliteTemplate: template } : {}),
      port,
      host: '127.0.0.1',
      dataDir: null,
      databaseUrl: null,
      keys: [KEY],
      allowedOrigins: [ORIGIN],
      flowsPath: '/nonexistent/flows.json',
      log: () => {},
    });
    return starting;
  };

  const post = (base: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json', Authorization: basicAuth(KEY) },
      body: JSON.stringify(body),
    });

  it('answers while a migration runs: /healthz says it is migrating, batches are asked to come back, the dashboard says it is upgrading; then it serves', async () => {
    held.arm();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    void start(port);
    await held.reached;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, ready: false, state: 'migrating', migration: { id: 100_000, name: 'rollups rebuilt (held by the test)' } });
    // A liveness probe must not restart a collector that is busy migrating.
    const live = await fetch(`${base}/livez`);
    expect(live.status).toBe(200);

    // The SDK keeps a 503's events and waits the Retry-After; the browser lets it read both only with CORS headers.
    const batch = await post(base, '/v1/batch', { batch: [msg.track('u1', 'Project Created', AT)] });
    expect(batch.status).toBe(503);
    expect(Number(batch.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(batch.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await batch.json()).toMatchObject({ ok: false });
    const track = await post(base, '/v1/track', msg.track('u1', 'Project Created', AT));
    expect(track.status).toBe(503);
    expect(Number(track.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await track.body?.cancel();

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/upgrading/i);
    const api = await fetch(`${base}/api/insights/adoption`);
    expect(api.status).toBe(503);
    await api.body?.cancel();

    held.release();
    const collector = await starting!;
    expect(collector.url).toBe(base);
    const ready = await fetch(`${base}/healthz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, ready: true });
    const sent = await post(base, '/v1/batch', { batch: [msg.track('u1', 'Project Created', AT)] });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ ok: true, accepted: 1 });
  });

  it('stops with the migration\'s error, naming the migration, when it fails, instead of answering 503 for good', async () => {
    held.arm();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const failing = start(port);
    await held.reached;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);

    held.release(new Error('rollup rebuild failed: out of disk'));
    // The vendor reads which step failed, and why.
    await expect(failing).rejects.toThrow('migration 100000 (rollups rebuilt (held by the test)) failed: rollup rebuild failed: out of disk');
    // Nothing listens any more, so the process can exit with that error.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
