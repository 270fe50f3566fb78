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
 * The dashboard acts for a signed-in vendor (keys, tokens, accounts) and shows what end users
 * wrote (survey answers, churn reasons): only its own built files may run or style it, so a
 * script that text ever smuggled into the page would not run, nor could it send what it read
 * elsewhere. The page needs nothing more: a module script and a stylesheet of its own, styles
 * set by preact through the DOM (not attributes), `fetch` to its own API, a `data:` icon. No page
 * may frame it and steer clicks: its cookie is SameSite=Strict, which a sibling subdomain's page
 * does not stop.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = { 'Content-Security-Policy': DASHBOARD_CSP, 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' };

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
