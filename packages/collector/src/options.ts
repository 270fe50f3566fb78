import type { UserHashMode } from './ingest/ingest.ts';
import type { RateLimitOptions } from './ingest/rate-limit.ts';
import { DEFAULT_SYNC_RATE, type SyncRateLimitOptions } from './sync/sync-rate-limit.ts';
import type { OriginPolicy } from './http/cors.ts';
import type { AdminCredentials } from './auth/bootstrap.ts';
import { defaultDashboardDir, defaultDataDir, defaultFlowsPath } from './paths.ts';
import type { StartPhase } from './http/starting.ts';

export interface CollectorOptions {
  /** Default 8787; 0 lets the OS pick a free port (tests). */
  port?: number;
  /** Default 127.0.0.1. The dashboard and insights API need a sign-in wherever it listens. */
  host?: string;
  /** Embedded database folder. Default `.linger-data/` at the repo root; `null` keeps it in memory. */
  dataDir?: string | null;
  /** PostgreSQL URL. Default `process.env.DATABASE_URL`; `null` forces the embedded engine. */
  databaseUrl?: string | null;
  /** A PGlite `dumpDataDir` tarball that a new embedded database starts from instead of initdb. */
  pgliteTemplate?: string;
  /**
   * A vendor account to create, or whose password to reset, on start. Without one, the first
   * start on loopback creates `admin@localhost` with a generated password (see `signIn`).
   */
  admin?: AdminCredentials;
  /** Accepted write keys, besides those managed in the dashboard. Default `['pk_demo']`. */
  keys?: readonly string[];
  /** Write key → secret for the userHash check (HMAC-SHA256 of the userId). */
  secrets?: Readonly<Record<string, string>>;
  /** What to do with an identified event whose userHash is missing or wrong. Default 'mark'. */
  userHashMode?: UserHashMode;
  /** Browser origins allowed to send: exact origins, 'localhost' (any local port) or '*'. Default ['localhost']. */
  allowedOrigins?: OriginPolicy;
  /** Flows config served at /v1/flows. Default `examples/flows.json` in the repository. */
  flowsPath?: string;
  /** The flows document itself; wins over flowsPath. */
  flows?: unknown;
  /**
   * Seconds an idle connection is kept open for its next request. Default 65: longer than a load
   * balancer keeps one (AWS ALB, nginx: 60 s), or it reuses one the collector just closed and
   * answers 502. Behind Google Cloud's load balancers (600 s), 620.
   */
  keepAliveSeconds?: number;
  /** Largest accepted request body. Default 512 KiB. */
  maxBodyBytes?: number;
  /**
   * Per-key token bucket, counted in events (every browser shares the key). Default 2000/s, bursts
   * of 20000. Each client (IPv4 address, IPv6 /64) may also spend a tenth of it when others have
   * emptied the key, so one client in a loop cannot shut the key's other users out.
   */
  rateLimit?: RateLimitOptions;
  /**
   * Addresses or subnets (`10.0.0.0/8`) of your own reverse proxies: requests from them are
   * counted by the client `X-Forwarded-For` names (read from the right, through these proxies).
   * Default none: the header is ignored, as anyone can write it.
   */
  trustProxy?: readonly string[];
  /** Per write key + verified user, on /v1/state and /v1/leaderboard (429 + Retry-After over it). Default 60 a minute, bursts of 60. */
  syncRateLimit?: SyncRateLimitOptions;
  /**
   * Keep raw events for this many months (whole months, dropped by partition once a day);
   * rollups, and so the dashboard's history, are kept. Default: keep everything.
   */
  retentionMonths?: number;
  /** Built dashboard folder. Default `dist/dashboard` in this package. */
  dashboardDir?: string;
  /** Clock for default date ranges, time windows and the sync rate limit; tests pin it. */
  now?: () => Date;
  /** Where request errors and warnings go. Default console.error; pass () => {} to silence. */
  log?: (line: string) => void;
  /**
   * Hears what the start is doing before it serves (opening the database, each migration), as
   * `/healthz` tells it: the CLI names the migration a stop signal interrupted.
   */
  onPhase?: (phase: StartPhase) => void;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  pgliteTemplate: string | undefined;
  admin: AdminCredentials | undefined;
  keys: readonly string[];
  secrets: Readonly<Record<string, string>>;
  userHashMode: UserHashMode;
  allowedOrigins: OriginPolicy;
  flows: { kind: 'file'; path: string } | { kind: 'inline'; flows: unknown };
  maxBodyBytes: number;
  keepAliveSeconds: number;
  rateLimit: RateLimitOptions;
  trustProxy: readonly string[];
  syncRateLimit: SyncRateLimitOptions;
  retentionMonths: number | undefined;
  dashboardDir: string;
  now: () => Date;
  log: (line: string) => void;
  onPhase: (phase: StartPhase) => void;
}

export function resolveOptions(options: CollectorOptions): ResolvedOptions {
  const keys = options.keys && options.keys.length > 0 ? options.keys : ['pk_demo'];
  const envUrl = process.env['DATABASE_URL'];
  return {
    port: options.port ?? 8787,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir === null ? undefined : (options.dataDir ?? defaultDataDir),
    databaseUrl: options.databaseUrl === null ? undefined : (options.databaseUrl ?? (envUrl || undefined)),
    pgliteTemplate: options.pgliteTemplate,
    admin: options.admin,
    keys,
    secrets: options.secrets ?? {},
    userHashMode: options.userHashMode ?? 'mark',
    allowedOrigins: options.allowedOrigins ?? ['localhost'],
    flows: options.flows !== undefined
      ? { kind: 'inline', flows: options.flows }
      : { kind: 'file', path: options.flowsPath ?? defaultFlowsPath },
    maxBodyBytes: options.maxBodyBytes ?? 512 * 1024,
    keepAliveSeconds: options.keepAliveSeconds ?? 65,
    rateLimit: options.rateLimit ?? { perSecond: 2000, burst: 20_000 },
    trustProxy: options.trustProxy ?? [],
    syncRateLimit: options.syncRateLimit ?? DEFAULT_SYNC_RATE,
    retentionMonths: options.retentionMonths,
    dashboardDir: options.dashboardDir ?? defaultDashboardDir,
    now: options.now ?? (() => new Date()),
    log: options.log ?? ((line) => console.error(line)),
    onPhase: options.onPhase ?? (() => {}),
  };
}
