import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open.ts';

/** A port nothing listens on right now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('a collector whose PostgreSQL server cannot be reached', () => {
  it('says at start it is the server of DATABASE_URL / --database-url it could not reach, and where, without its password', async () => {
    const port = await closedPort();
    // DATABASE_URL is a common name: a vendor's shell may hold another app's, which the collector then uses.
    const error = await openDatabase({ databaseUrl: `postgres://linger:s3cret-pw@127.0.0.1:${port}/linger` }).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(new RegExp(`^the PostgreSQL server of DATABASE_URL / --database-url \\(postgres://linger@127\\.0\\.0\\.1:${port}/linger\\) could not be opened: .*ECONNREFUSED`));
    expect(error?.message).not.toContain('s3cret-pw');
  });
});
