import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Linger dashboard</title>
<p>The dashboard is not built yet. Run <code>npm run build -w @linger/collector</code> and reload.
The API is up: try <a href="/api/insights/adoption">/api/insights/adoption</a>.</p>`;

/**
 * The dashboard acts for a signed-in vendor (keys, tokens, accounts): no page may frame it and
 * steer clicks. Its cookie is SameSite=Strict, which a sibling subdomain's page does not stop.
 */
const PAGE_HEADERS = { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' };

/**
 * Serves the built dashboard. Unknown paths get index.html (the page routes itself); paths
 * that climb out of the folder get 404.
 */
export async function serveDashboard(res: ServerResponse, dir: string, pathname: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const relative = decoded.replace(/^\/dashboard/, '').replace(/^\/+/, '') || 'index.html';
  const target = normalize(join(dir, relative));
  if (!target.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
    res.writeHead(404).end();
    return;
  }
  const file = await readFile(target).catch(() => undefined);
  if (file) {
    // Vite hashes asset names, so they can be cached for good; the page itself must not be.
    const immutable = relative.startsWith('assets/');
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(file);
    return;
  }
  if (extname(relative) !== '' && relative !== 'index.html') {
    res.writeHead(404).end();
    return;
  }
  const index = await readFile(join(dir, 'index.html')).catch(() => undefined);
  res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': TYPES['.html'] ?? 'text/html', 'Cache-Control': 'no-cache' });
  res.end(index ?? NOT_BUILT);
}
