import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, engineTitle } from '../test-support/engines.ts';
import { msg, readAuth, seed, startTestCollector, uniqueKeys } from '../test-support/fixture.ts';

const AT = '2026-03-02T10:00:00.000Z';

async function recentCount(url: string, key: string): Promise<number> {
  const res = await fetch(`${url}/api/events/recent?key=${key}`, { headers: readAuth(url) });
  return ((await res.json()) as { events: unknown[] }).events.length;
}

describe('the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'linger-data-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps events, traits and deduplication across a restart', async () => {
    const [key] = uniqueKeys(1) as [string];
    const options = { dataDir, databaseUrl: null, keys: [key] };
    const batch = [msg.identify('u1', { plan: 'pro' }, AT), msg.track('u1', 'Project Created', AT)];

    const first = await startTestCollector(options);
    await seed(first.url, key, batch);
    await first.close();

    const second = await startTestCollector(options);
    try {
      expect(await recentCount(second.url, key)).toBe(2);
      // the unique index came back too: a retry after the restart is still a duplicate
      const retry = await fetch(`${second.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ batch, writeKey: key }),
      });
      expect(await retry.json()).toMatchObject({ accepted: 2, duplicates: 2 });
      const segments = await (await fetch(`${second.url}/api/segments?key=${key}`, { headers: readAuth(second.url) })).json();
      expect(segments).toEqual({ segments: [{ trait: 'plan', source: 'user', values: [{ value: 'pro', count: 1 }] }] });
    } finally {
      await second.close();
    }
  });

  it('refuses a second collector on a data folder that is in use', async () => {
    const running = await startTestCollector({ dataDir, databaseUrl: null });
    try {
      await expect(startTestCollector({ dataDir, databaseUrl: null })).rejects.toThrow(/is in use by process/);
    } finally {
      await running.close();
    }
  });
});

for (const engine of engines.filter((e) => e.name === 'postgres')) {
  describe.skipIf(engine.skipReason !== undefined)(`a PostgreSQL server (${engineTitle(engine)})`, () => {
    it('keeps events across a restart and applies each migration once', async () => {
      const [key] = uniqueKeys(1) as [string];
      const first = await startTestCollector({ ...engine.options, keys: [key] });
      await seed(first.url, key, [msg.track('u1', 'Project Created', AT)]);
      await first.close();
      const second = await startTestCollector({ ...engine.options, keys: [key] });
      try {
        expect(second.engine).toBe('postgres');
        expect(await recentCount(second.url, key)).toBe(1);
        const { rows } = await second.db.query<{ n: number }>('select count(*)::int as n from linger_migrations where id = 1');
        expect(rows[0]?.n).toBe(1);
      } finally {
        await second.close();
      }
    });
  });
}
