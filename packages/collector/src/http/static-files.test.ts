import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from './static-files.ts';

/** The page's Content-Security-Policy, directive by directive. */
const directives = (res: Response) =>
  new Map((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name = '', ...sources] = d.split(/\s+/);
    return [name, sources.join(' ')] as const;
  }));

describe('serving the dashboard', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linger-static-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>dash</title>');
    await writeFile(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'linger-secret.txt'), 'secret');
    server = createServer((req, res) => void serveDashboard(res, dir, new URL(req.url ?? '/', 'http://x').pathname));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
    await rm(join(tmpdir(), 'linger-secret.txt'), { force: true });
  });

  it('serves the page at / and /dashboard, and hashed assets with a long cache', async () => {
    for (const path of ['/', '/dashboard', '/dashboard/']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>dash</title>');
    }
    const asset = await fetch(`${base}/assets/app-123.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('cannot be framed by another page (a page of a sibling subdomain clicking the signed-in vendor through key revocation), nor its files sniffed as another type', async () => {
    for (const path of ['/', '/dashboard/people', '/assets/app-123.js']) {
      const res = await fetch(base + path);
      expect([path, directives(res).get('frame-ancestors'), res.headers.get('x-frame-options'), res.headers.get('x-content-type-options')])
        .toEqual([path, "'none'", 'DENY', 'nosniff']);
      await res.body?.cancel();
    }
  });

  it("runs no script but its own (an end user's survey answer or churn reason holding markup), and sends what it reads nowhere else", async () => {
    for (const path of ['/', '/dashboard/people', '/assets/app-123.js']) {
      const res = await fetch(base + path);
      const policy = directives(res);
      expect([path, ...['default-src', 'script-src', 'style-src', 'img-src', 'connect-src', 'object-src', 'base-uri', 'form-action'].map((name) => policy.get(name))])
        .toEqual([path, "'self'", "'self'", "'self'", "'self' data:", "'self'", "'none'", "'none'", "'self'"]);
      await res.body?.cancel();
    }
  });

  it('answers 404 for missing files and for paths outside the folder', async () => {
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const sneaky = await fetch(`${base}/..%2flinger-secret.txt`);
    expect(sneaky.status).toBe(404);
  });
});
