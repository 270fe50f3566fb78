import type { ServerResponse } from 'node:http';
import type { Database } from '../db/database.ts';
import { parseFilter } from '../insights/filter.ts';
import { BadInsightQuery } from '../insights/bad-query.ts';
import { isDayAligned } from '../insights/rollup-scope.ts';
import { catalogFromFlows, emptyCatalog } from '../insights/flows-catalog.ts';
import { identitySummary } from '../insights/identity-summary.ts';
import { recentEvents } from '../insights/recent-events.ts';
import { insights } from '../insights/registry.ts';
import { segmentOptions } from '../insights/segments.ts';
import { loadFlows, type FlowsSource } from '../flows.ts';
import { sendJson } from './respond.ts';

export interface ApiDeps {
  db: Database;
  keys: readonly string[];
  flows: FlowsSource;
  now: () => Date;
  /** Folds freshly stored events into the rollups, so an answer includes every acknowledged batch. */
  refreshRollups: () => Promise<void>;
}

/**
 * The dashboard's read-only API under /api, behind the sign-in (auth/routes.ts answers
 * /api/keys and the rest that changes things). Returns false for a path it doesn't own.
 */
export async function handleApi(res: ServerResponse, url: URL, deps: ApiDeps): Promise<boolean> {
  const defaultKey = deps.keys[0] ?? 'pk_demo';
  const key = url.searchParams.get('key') ?? defaultKey;
  if (url.pathname === '/api/health') {
    sendJson(res, 200, { ok: true, engine: deps.db.engine });
    return true;
  }
  if (url.pathname === '/api/segments') {
    sendJson(res, 200, { segments: await segmentOptions(deps.db, key) });
    return true;
  }
  if (url.pathname === '/api/events/recent') {
    const after = Number(url.searchParams.get('after') ?? 0);
    // An event id is a whole number: 1.5 or 1e30 would only fail in the database, as a 500.
    if (!Number.isSafeInteger(after)) {
      sendJson(res, 400, { ok: false, errors: [`after: the id of the last event seen (a whole number), got ${url.searchParams.get('after')}`] });
      return true;
    }
    const limit = Math.min(Math.max(Math.trunc(Number(url.searchParams.get('limit') ?? 50)) || 50, 1), 500);
    const identity = url.searchParams.get('identity') ?? 'verified';
    if (identity !== 'verified' && identity !== 'all') {
      sendJson(res, 400, { ok: false, errors: [`identity: expected verified or all, got ${identity}`] });
      return true;
    }
    sendJson(res, 200, { identity, events: await recentEvents(deps.db, key, after, limit, identity) });
    return true;
  }
  const match = /^\/api\/insights\/([a-z-]+)$/.exec(url.pathname);
  if (match?.[1] === undefined) return false;
  const insight = insights[match[1]];
  if (!insight) {
    sendJson(res, 404, { ok: false, errors: [`no insight ${match[1]}; try ${Object.keys(insights).join(', ')}`] });
    return true;
  }
  const filter = parseFilter(url.searchParams, defaultKey, deps.now());
  if (!filter.ok) {
    sendJson(res, 400, { ok: false, errors: [filter.error] });
    return true;
  }
  const loaded = await loadFlows(deps.flows);
  const catalog = loaded.found ? catalogFromFlows(loaded.flows) : emptyCatalog;
  const source = url.searchParams.get('source') === 'events' || !isDayAligned(filter.filter) ? 'events' : 'rollups';
  if (source === 'rollups') await deps.refreshRollups();
  let result: unknown;
  let identity: Awaited<ReturnType<typeof identitySummary>>;
  try {
    [result, identity] = await Promise.all([
      insight({ db: deps.db, filter: filter.filter, catalog, query: url.searchParams, now: deps.now(), source }),
      identitySummary(deps.db, filter.filter, source),
    ]);
  } catch (error) {
    if (!(error instanceof BadInsightQuery)) throw error;
    sendJson(res, 400, { ok: false, errors: [error.message] });
    return true;
  }
  sendJson(res, 200, {
    from: filter.filter.from.toISOString(),
    to: filter.filter.to.toISOString(),
    segments: filter.filter.segments,
    identity,
    source,
    ...(result as object),
  });
  return true;
}
