import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody, type BodyResult } from './body.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A collector-like server that reads each body with readBody and records what came of it. */
async function reader(limit: number) {
  const results: BodyResult[] = [];
  server = createServer((req, res) => {
    void readBody(req, limit).then((result) => {
      results.push(result);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, results };
}

/** Sends headers and the first part of a body, then drops the connection, as a closed tab does. */
function abortMidway(port: number, headers: Record<string, string>, part: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ port, method: 'POST', path: '/v1/batch', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.flushHeaders();
    req.write(part, () => setImmediate(() => req.destroy()));
  });
}

describe('reading a request body', () => {
  const payload = gzipSync(Buffer.from(JSON.stringify({ batch: Array.from({ length: 2000 }, (_, i) => ({ type: 'track', event: `e${i}` })) })));

  it('lets go of a gzipped upload the sender abandoned halfway (no request left hanging, holding its buffers)', async () => {
    const { port, results } = await reader(512 * 1024);
    await abortMidway(port, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' }, payload.subarray(0, payload.length >> 1));
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ ok: false, status: 400 });
  });

  it('lets go of a plain upload the sender abandoned halfway', async () => {
    const { port, results } = await reader(512 * 1024);
    await abortMidway(port, { 'Content-Type': 'application/json' }, Buffer.from('{"batch":[{"type":"track"'));
    await expect.poll(() => results.length).toBe(1);
    expect(results[0]).toMatchObject({ ok: false, status: 400 });
  });
});
