import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapAdmin, type AdminCredentials } from './auth/bootstrap.ts';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { authorizeApi, type AuthDeps } from './auth/routes.ts';
import { ensureAuthSchema } from './auth/schema.ts';
import { createWriteKeyRegistry } from './auth/write-keys.ts';
import { createAutoAnalyze } from './db/auto-analyze.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open.ts';
import { startRetention } from './db/retention.ts';
import { keepPartitionsAhead } from './db/partitions.ts';
import { createRollupRefresher } from './db/rollups.ts';
import { emptyFlows, loadFlows } from './flows.ts';
import { handleApi } from './http/api-routes.ts';
import { ensureIdentityIndex } from './insights/identity-summary.ts';
import { corsHeaders, isHostAllowed, isOriginAllowed } from './http/cors.ts';
import { handleIngest, type IngestRouteDeps } from './http/ingest-route.ts';
import { createClientAddress } from './http/client-address.ts';
import { sendJson } from './http/respond.ts';
import { serveDashboard } from './http/static-files.ts';
import type { MessageType } from './ingest/message-schema.ts';
import { journalSink } from './ingest/journal-sink.ts';
import { createRateLimiter } from './ingest/rate-limit.ts';
import { handleLeaderboard } from './sync/leaderboard-route.ts';
import { handleState } from './sync/state-route.ts';
import { createSyncRateLimiter } from './sync/sync-rate-limit.ts';
import { directSink, type EventSink } from './ingest/sink.ts';
import { join } from 'node:path';
import { resolveOptions, type CollectorOptions, type ResolvedOptions } from './options.ts';
import { optionProblems } from './option-rules.ts';
import type { Migration } from './db/migrations.ts';
import { sendStarting, sendStartingHealth, type StartPhase } from './http/starting.ts';

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:8787 — the SDK's `endpoint` and the dashboard. */
  url: string;
  port: number;
  /** Which engine stores the events. */
  engine: Database['engine'];
  /** The open database, for scripts and tests that look at what was stored. */
  db: Database;
  /** Set only when this start created the local admin: its generated password, shown once. */
  signIn: AdminCredentials | undefined;
  /** Resolves once every acknowledged event is in the database (the embedded engine stores them just after the answer). */
  drained(): Promise<void>;
  /** Stops accepting requests, waits for those in flight, closes the database. */
  close(): Promise<void>;
}

const SINGLE_ROUTES: Readonly<Record<string, MessageType>> = {
  '/v1/track': 'track',
  '/v1/identify': 'identify',
  '/v1/page': 'page',
  '/v1/group': 'group',
  '/v1/screen': 'screen',
  '/v1/alias': 'alias',
};

/** The methods each public endpoint takes: a wrong one is a 405 naming them, not a 404 ("no such route"). */
const PUBLIC_METHODS: Readonly<Record<string, string>> = {
  '/v1/batch': 'POST',
  ...Object.fromEntries(Object.keys(SINGLE_ROUTES).map((path) => [path, 'POST'])),
  '/v1/state': 'GET, PUT',
  '/v1/leaderboard': 'GET',
  '/v1/flows': 'GET, HEAD',
};

/**
 * A request as its failure is logged: method and path, never the query. The query of
 * `GET /v1/state` and `/v1/leaderboard` holds the userHash, a credential that never expires,
 * and logs travel to places (log shippers, support tickets) credentials must not.
 */
const forLog = (req: IncomingMessage) => `${req.method} ${(req.url ?? '').replace(/[?#].*$/s, '')}`;

/** What start-up has opened so far: closed in this order on a failed start and by close(). */
interface OpenParts {
  db?: Database;
  sink?: EventSink;
  rollupTimer?: ReturnType<typeof setInterval>;
  rollups?: ReturnType<typeof createRollupRefresher>;
  retention?: ReturnType<typeof startRetention>;
  months?: ReturnType<typeof keepPartitionsAhead>;
  statistics?: ReturnType<typeof createAutoAnalyze>;
}

async function closeParts(parts: OpenParts): Promise<void> {
  await parts.sink?.close();
  if (parts.rollupTimer) clearInterval(parts.rollupTimer);
  await parts.rollups?.idle();
  await parts.retention?.stop();
  await parts.months?.stop();
  await parts.statistics?.idle();
  await parts.db?.close();
}

type Serve = (req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string>, isPublic: boolean) => Promise<void>;

/**
 * Opens the database (applying its migrations), the sink and the background work, recording each
 * in `parts` as it opens; returns the routes that need them.
 */
async function openServices(config: ResolvedOptions, parts: OpenParts, clientAddress: (req: IncomingMessage) => string, onMigration: (migration: Migration | undefined) => void) {
  const db = parts.db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgliteTemplate: config.pgliteTemplate, onMigration });
  onMigration(undefined);
  // PGlite answers one statement at a time: batches are acknowledged from a journal instead.
  const sink: EventSink = parts.sink = db.engine === 'pglite'
    ? await journalSink(db, config.dataDir === undefined ? undefined : join(config.dataDir, 'ingest-journal.ndjson'), config.log)
    : directSink(db);
  const statistics = parts.statistics = createAutoAnalyze(db, config.log);
  // Rollups follow ingestion within a second, and every insight request catches them up first.
  const rollups = parts.rollups = createRollupRefresher(db, config.log);
  parts.rollupTimer = setInterval(() => void rollups.refresh().catch(() => undefined), 1000);
  parts.rollupTimer.unref();
  // Fresh statistics for what earlier runs stored; in the background, as requests may wait.
  void statistics.analyzeNow();
  await ensureAuthSchema(db);
  await ensureIdentityIndex(db);
  const writeKeys = createWriteKeyRegistry(db, config.keys, config.secrets, config.now);
  const authDeps: AuthDeps = {
    db,
    writeKeys,
    loginThrottle: createLoginThrottle(),
    clientAddress,
    now: config.now,
  };
  parts.retention = config.retentionMonths === undefined ? undefined : startRetention(db, config.retentionMonths, config.now, config.log);
  const months = parts.months = keepPartitionsAhead(db, config.now, config.log);
  await months.ready();
  const flowsAtStart = await loadFlows(config.flows);
  if (!flowsAtStart.found) config.log(`[linger] no flows config (${flowsAtStart.reason}); serving an empty one`);

  const ingestDeps: IngestRouteDeps = {
    sink,
    writeKeys,
    userHashMode: config.userHashMode,
    limiter: createRateLimiter(config.rateLimit),
    clientAddress,
    maxBodyBytes: config.maxBodyBytes,
    now: config.now,
    onStored: (count) => statistics.noteInserted(count),
  };

  const syncLimiter = createSyncRateLimiter(config.syncRateLimit, () => config.now().getTime());

  const serve: Serve = async (req, res, url, headers, isPublic) => {
    if (isPublic && req.method === 'POST') {
      const impliedType = url.pathname === '/v1/batch' ? undefined : SINGLE_ROUTES[url.pathname];
      if (url.pathname === '/v1/batch' || impliedType !== undefined) {
        await handleIngest(req, res, ingestDeps, impliedType, headers);
        return;
      }
    }
    const verified = { db, writeKeys: ingestDeps.writeKeys, now: config.now, limiter: syncLimiter };
    if (url.pathname === '/v1/state') return handleState(req, res, url, verified, headers);
    if (url.pathname === '/v1/leaderboard' && req.method === 'GET') return handleLeaderboard(req, res, url, { ...verified, flows: config.flows }, headers);
    if (isPublic) {
      const allow = Object.hasOwn(PUBLIC_METHODS, url.pathname) ? PUBLIC_METHODS[url.pathname] : undefined;
      if (allow) sendJson(res, 405, { ok: false, errors: [`${url.pathname} takes ${allow}, not ${req.method}`] }, { ...headers, Allow: allow });
      else sendJson(res, 404, { ok: false, errors: [`no route ${req.method} ${url.pathname}`] }, headers);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      // Health stays open for load balancers; it tells nothing but the engine.
      if (url.pathname !== '/api/health' && !(await authorizeApi(req, res, url, authDeps))) return;
      if (req.method !== 'GET') {
        sendJson(res, 405, { ok: false, errors: [`${req.method} ${url.pathname} is not supported`] });
        return;
      }
      const keys = (await writeKeys.list()).filter((k) => k.revokedAt === null).map((k) => k.key);
      const handled = await handleApi(res, url, { db, keys, flows: config.flows, now: config.now, refreshRollups: rollups.refresh });
      if (!handled) sendJson(res, 404, { ok: false, errors: [`no route ${url.pathname}`] });
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      await serveDashboard(res, config.dashboardDir, url.pathname);
      return;
    }
    sendJson(res, 405, { ok: false, errors: [`${req.method} is not supported here`] });
  };
  // Last, with nothing awaited between it and the CLI printing it: a generated password is made
  // only when it will be shown. A stop (Ctrl-C) any earlier leaves no account, and the next start
  // makes one and shows it; before, a stop in between left an account whose password no one saw.
  const signIn = await bootstrapAdmin(db, { admin: config.admin, host: config.host, log: config.log });
  return { db, sink, signIn, serve };
}

/**
 * Starts the collector: ingestion API, flows, insights API and dashboard on one port. It listens
 * before it opens the database: a migration can take minutes, during which `/healthz` answers 503
 * (not ready) and everything that needs the database asks to be sent again later, instead of a
 * load balancer finding the port closed. Resolves once it serves; a failed start closes the port
 * again and rejects with the error.
 */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  // Before anything opens: a wrong value would otherwise show only later (every event refused).
  const problems = optionProblems(options);
  if (problems.length > 0) throw new Error(`startCollector: ${problems.join('; ')}`);
  const config = resolveOptions(options);
  // Before listening: a mistyped trusted proxy stops the start, it is not found out later.
  const clientAddress = createClientAddress(config.trustProxy);
  let phase: StartPhase = { state: 'starting' };
  let ready: { serve: Serve; sink: EventSink } | undefined;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://collector.local');
    const origin = req.headers.origin;
    const isPublic = url.pathname.startsWith('/v1/');
    let headers: Record<string, string> = {};
    if (isPublic && origin !== undefined) {
      // Beacons skip preflight, so the origin is enforced here too, not only by the browser.
      if (!isOriginAllowed(origin, config.allowedOrigins)) {
        sendJson(res, 403, { ok: false, errors: [`origin ${origin} is not allowed`] });
        req.resume();
        return;
      }
      headers = corsHeaders(origin);
    }
    if (url.pathname === '/healthz') {
      // Readiness for load balancers: never touches the database, so it answers under any load.
      if (ready) sendJson(res, 200, { ok: true, ready: true, backlog: ready.sink.backlog() });
      else sendStartingHealth(res, phase);
      return;
    }
    if (url.pathname === '/livez') {
      // Liveness: the process answers, migrating or not (a probe that restarts it mid-migration
      // rolls the migration back, and it begins again).
      sendJson(res, 200, { ok: true, ready: ready !== undefined });
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(isPublic ? 204 : 404, headers).end();
      return;
    }
    if (url.pathname === '/v1/flows' && (req.method === 'GET' || req.method === 'HEAD')) {
      // Read from its file, not the database: pages get their flows during a migration too.
      const loaded = await loadFlows(config.flows);
      sendJson(res, 200, loaded.found ? loaded.flows : emptyFlows, {
        ...headers,
        'Cache-Control': 'no-cache',
        'X-Linger-Flows': loaded.found ? 'loaded' : 'missing',
      });
      return;
    }
    if (!isPublic && !isHostAllowed(req.headers.host, config.host)) {
      sendJson(res, 403, { ok: false, errors: [`host ${req.headers.host ?? '(none)'} is not served here`] });
      return;
    }
    if (!ready) {
      sendStarting(req, res, phase, isPublic, headers);
      return;
    }
    await ready.serve(req, res, url, headers, isPublic);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      config.log(`[linger] ${forLog(req)} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, errors: ['internal error'] });
      else res.end();
    });
  });
  server.keepAliveTimeout = config.keepAliveSeconds * 1000;
  const stopListening = (dropAll = false) => new Promise<void>((resolve) => {
    // Keep-alive sockets would hold close() open until they time out (a minute and more): those
    // idle now go at once, those with a request under way as soon as it is answered.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    // After a failed start nothing is worth waiting for: a slow upload must not keep the process from exiting.
    if (dropAll) server.closeAllConnections();
    else server.closeIdleConnections();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const parts: OpenParts = {};
  let migrating = false;
  let services: Awaited<ReturnType<typeof openServices>>;
  try {
    services = await openServices(config, parts, clientAddress, (migration) => {
      // The migrations done, what is left (a journal to store after a crash) is no migration.
      if (migration === undefined) phase = { state: 'starting' };
      else {
        // Said once, not per migration: a new database applies them all.
        if (!migrating) config.log(`[linger] applying database migrations; ${baseUrl}/healthz answers 503 until they are done`);
        migrating = true;
        phase = { state: 'migrating', migration: { id: migration.id, name: migration.name } };
      }
      config.onPhase(phase);
    });
  } catch (error) {
    // Not a 503 for good: the port closes, and the caller (the CLI: the process) stops with the error.
    await stopListening(true);
    await closeParts(parts).catch((closeError: unknown) => config.log(`[linger] closing after a failed start: ${String(closeError)}`));
    throw error;
  }
  ready = { serve: services.serve, sink: services.sink };
  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    engine: services.db.engine,
    db: services.db,
    signIn: services.signIn,
    drained: () => services.sink.drained(),
    close() {
      closing ??= (async () => {
        await stopListening();
        await closeParts(parts);
      })();
      return closing;
    },
  };
}
