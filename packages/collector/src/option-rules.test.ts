import { describe, expect, it } from 'vitest';
import type { CollectorOptions } from './options.ts';
import { startCollector } from './server.ts';

/** What a vendor starting the collector from their own code gets: a refusal's message, or a running collector. */
async function start(options: CollectorOptions): Promise<string> {
  const base: CollectorOptions = { port: 0, dataDir: null, databaseUrl: null, flowsPath: '/nonexistent/flows.json', log: () => {} };
  return startCollector({ ...base, ...options }).then(
    async (collector) => {
      await collector.close();
      return 'started';
    },
    (error: unknown) => (error as Error).message,
  );
}

describe('startCollector, called from the vendor\'s code with a value the command line would refuse', () => {
  it('refuses an allowed origin no browser sends (a bare host), which would have every event from the site refused with 403', async () => {
    expect(await start({ allowedOrigins: ['localhost', 'app.acme.test'] })).toBe(
      "startCollector: allowedOrigins: app.acme.test is not an origin a browser sends: scheme://host[:port], like https://app.acme.test, or 'localhost' or '*'",
    );
  });

  it('refuses a body limit under one event\'s weight (meant in KiB), which would refuse such events for good', async () => {
    expect(await start({ maxBodyBytes: 512 })).toBe('startCollector: maxBodyBytes: at least 65536 bytes (one event may be 32 KB), got 512');
  });

  it('refuses 0 months of retention (meant as "keep forever"), which would drop every earlier month\'s raw events', async () => {
    expect(await start({ retentionMonths: 0 })).toBe('startCollector: retentionMonths: a whole number of months, at least 1 (leave it out to keep everything), got 0');
  });
});
