import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.ts';

/** What the collector is doing before it serves: opening its database, or applying a migration. */
export type StartPhase = { state: 'starting' } | { state: 'migrating'; migration: { id: number; name: string } };

/**
 * Seconds a sender is asked to wait. A rebuilding migration takes minutes on a vendor's data;
 * asking every browser back each second would only add load, and the SDK keeps the events.
 */
export const STARTING_RETRY_AFTER_SECONDS = 30;

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Readiness, for `/healthz`: 503 until the collector serves, so a load balancer sends traffic elsewhere. */
export function sendStartingHealth(res: ServerResponse, phase: StartPhase): void {
  sendJson(res, 503, { ok: false, ready: false, backlog: 0, ...phase }, { 'Retry-After': String(STARTING_RETRY_AFTER_SECONDS) });
}

const doing = (phase: StartPhase) =>
  phase.state === 'migrating' ? `applying migration ${phase.migration.id} (${phase.migration.name})` : 'opening its database';

/**
 * Every request that needs the database, while there is none yet: 503 + Retry-After (the SDK
 * keeps its events and sends them again then), and for a person at the dashboard a page that
 * says why and reloads itself. The body of an unread upload is drained, not answered mid-way.
 */
export function sendStarting(req: IncomingMessage, res: ServerResponse, phase: StartPhase, isPublic: boolean, headers: Record<string, string>): void {
  req.resume();
  const retry = { 'Retry-After': String(STARTING_RETRY_AFTER_SECONDS) };
  const wantsPage = !isPublic && !new URL(req.url ?? '/', 'http://collector.local').pathname.startsWith('/api/')
    && (req.method === 'GET' || req.method === 'HEAD');
  if (!wantsPage) {
    sendJson(res, 503, { ok: false, ready: false, ...phase, errors: [`the collector is upgrading (${doing(phase)}); retry in ${STARTING_RETRY_AFTER_SECONDS} s`] }, { ...headers, ...retry });
    return;
  }
  const page = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="${STARTING_RETRY_AFTER_SECONDS}">
<title>Linger is upgrading</title>
<p>The Linger collector is upgrading: ${escapeHtml(doing(phase))}. Events sent meanwhile are kept by the browsers and
sent again. This page reloads by itself.</p>`;
  res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...retry });
  res.end(req.method === 'HEAD' ? undefined : page);
}
