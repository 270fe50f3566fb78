import { parseArgs } from 'node:util';
import type { UserHashMode } from './ingest/ingest.ts';
import type { CollectorOptions } from './options.ts';
import { proxyList } from './http/client-address.ts';
import { maxBodyProblem, originsProblem } from './option-rules.ts';

export const usage = `Usage: linger-collector [options]   (each option also reads the env variable shown)

  --port <n>             LINGER_PORT          default 8787
  --host <addr>          LINGER_HOST          default 127.0.0.1
  --data-dir <dir>       LINGER_DATA_DIR      embedded database folder, default <repo>/.linger-data
  --database-url <url>   DATABASE_URL         use this PostgreSQL server instead
  --keys <k1,k2>         LINGER_KEYS          accepted write keys, default pk_demo
  --secret <key=secret>  LINGER_SECRETS       userHash secret per key (repeat, or comma-separate in env)
  --user-hash <mode>     LINGER_USER_HASH     mark (default) or refuse unverified identified events
  --origins <o1,o2>      LINGER_ORIGINS       allowed browser origins (https://app.acme.com); 'localhost' (default) or '*'
  --flows <file>         LINGER_FLOWS         flows config served at /v1/flows
  --max-body <bytes>     LINGER_MAX_BODY      default 524288, at least 65536
  --keep-alive <s>       LINGER_KEEP_ALIVE    idle connections kept open, default 65 (above a load balancer's 60)
  --rate <perSec:burst>  LINGER_RATE          per-key events rate limit, default 2000:20000
                                              (each client may spend a tenth of it when others emptied the key)
  --trust-proxy <a,b>    LINGER_TRUST_PROXY   your reverse proxies (addresses, subnets like 10.0.0.0/8): clients
                                              are told apart by their X-Forwarded-For; default none (ignored)
  --sync-rate <perMin[:burst]>  LINGER_SYNC_RATE  per-user limit on /v1/state and /v1/leaderboard, default 60:60
  --retention-months <n> LINGER_RETENTION_MONTHS  drop raw events of months older than n (rollups stay)
  --admin-email <email>  LINGER_ADMIN_EMAIL   vendor account to create, or whose password to reset
                         LINGER_ADMIN_PASSWORD   its password (env only: flags show in ps)
  --help

Without an account, the first start on 127.0.0.1 creates admin@localhost and prints its
password once. The dashboard and /api need a sign-in or an API token (Bearer).`;

export type CliParse = { ok: true; options: CollectorOptions; help: boolean } | { ok: false; error: string };

const list = (text: string | undefined) =>
  text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter(Boolean);

function positiveInt(name: string, text: string | undefined): number | undefined | Error {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : new Error(`${name}: expected a whole number, got ${text}`);
}

/** Flags win over environment variables; anything unset keeps the collector's default. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        keys: { type: 'string' },
        secret: { type: 'string', multiple: true },
        'user-hash': { type: 'string' },
        origins: { type: 'string' },
        flows: { type: 'string' },
        'max-body': { type: 'string' },
        'keep-alive': { type: 'string' },
        rate: { type: 'string' },
        'trust-proxy': { type: 'string' },
        'sync-rate': { type: 'string' },
        'admin-email': { type: 'string' },
        'retention-months': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] || undefined);

  const port = positiveInt('--port', pick(values.port, 'LINGER_PORT'));
  if (port instanceof Error) return { ok: false, error: port.message };
  const maxBody = positiveInt('--max-body', pick(values['max-body'], 'LINGER_MAX_BODY'));
  if (maxBody instanceof Error) return { ok: false, error: maxBody.message };
  const bodyProblem = maxBody === undefined ? undefined : maxBodyProblem(maxBody);
  if (bodyProblem) return { ok: false, error: `--max-body: ${bodyProblem}` };
  const keepAlive = positiveInt('--keep-alive', pick(values['keep-alive'], 'LINGER_KEEP_ALIVE'));
  if (keepAlive instanceof Error) return { ok: false, error: keepAlive.message };
  if (keepAlive === 0) return { ok: false, error: '--keep-alive: expected at least 1 second, got 0' };
  const retention = positiveInt('--retention-months', pick(values['retention-months'], 'LINGER_RETENTION_MONTHS'));
  if (retention instanceof Error) return { ok: false, error: retention.message };
  if (retention === 0) return { ok: false, error: '--retention-months: expected at least 1' };

  const secrets: Record<string, string> = {};
  for (const pair of values.secret ?? list(env['LINGER_SECRETS']) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, error: `--secret: expected key=secret, got ${pair}` };
    // `--secret pk_live=$SECRET` with the variable unset: anyone computes an HMAC with an empty
    // key, so it vouches for no one (ingest verifies no one with it). Said at start, not found
    // later as every event unverified.
    if (eq === pair.length - 1) return { ok: false, error: `--secret: the secret for ${pair.slice(0, eq)} is empty (an unset variable?)` };
    secrets[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  const mode = pick(values['user-hash'], 'LINGER_USER_HASH');
  if (mode !== undefined && mode !== 'mark' && mode !== 'refuse') {
    return { ok: false, error: `--user-hash: expected mark or refuse, got ${mode}` };
  }

  let rateLimit: CollectorOptions['rateLimit'];
  const rate = pick(values.rate, 'LINGER_RATE');
  if (rate !== undefined) {
    const [perSecond, burst] = rate.split(':').map(Number);
    if (!perSecond || !burst || perSecond <= 0 || burst <= 0) return { ok: false, error: `--rate: expected perSecond:burst, got ${rate}` };
    rateLimit = { perSecond, burst };
  }

  const trustProxy = list(pick(values['trust-proxy'], 'LINGER_TRUST_PROXY'));
  try {
    proxyList(trustProxy ?? []);
  } catch (error) {
    return { ok: false, error: `--trust-proxy: ${(error as Error).message.replace(/^trusted proxy: /, '')}` };
  }

  let syncRateLimit: CollectorOptions['syncRateLimit'];
  const syncRate = pick(values['sync-rate'], 'LINGER_SYNC_RATE');
  if (syncRate !== undefined) {
    const [perMinute, burst = perMinute] = syncRate.split(':').map(Number);
    if (!perMinute || !burst || perMinute <= 0 || burst < 1) return { ok: false, error: `--sync-rate: expected perMinute or perMinute:burst, got ${syncRate}` };
    syncRateLimit = { perMinute, burst };
  }

  const options: CollectorOptions = {};
  if (port !== undefined) options.port = port;
  if (maxBody !== undefined) options.maxBodyBytes = maxBody;
  if (keepAlive !== undefined) options.keepAliveSeconds = keepAlive;
  if (retention !== undefined) options.retentionMonths = retention;
  const host = pick(values.host, 'LINGER_HOST');
  if (host) options.host = host;
  const dataDir = pick(values['data-dir'], 'LINGER_DATA_DIR');
  if (dataDir) options.dataDir = dataDir;
  options.databaseUrl = pick(values['database-url'], 'DATABASE_URL') ?? null;
  const keys = list(pick(values.keys, 'LINGER_KEYS'));
  if (keys) options.keys = keys;
  if (Object.keys(secrets).length > 0) options.secrets = secrets;
  if (mode) options.userHashMode = mode as UserHashMode;
  const origins = list(pick(values.origins, 'LINGER_ORIGINS'));
  const notOrigins = origins === undefined ? undefined : originsProblem(origins);
  if (notOrigins) return { ok: false, error: `--origins: ${notOrigins}` };
  if (origins) options.allowedOrigins = origins;
  const flows = pick(values.flows, 'LINGER_FLOWS');
  if (flows) options.flowsPath = flows;
  if (rateLimit) options.rateLimit = rateLimit;
  if (trustProxy && trustProxy.length > 0) options.trustProxy = trustProxy;
  if (syncRateLimit) options.syncRateLimit = syncRateLimit;
  const adminEmail = pick(values['admin-email'], 'LINGER_ADMIN_EMAIL');
  const adminPassword = env['LINGER_ADMIN_PASSWORD'] || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    return { ok: false, error: 'LINGER_ADMIN_EMAIL (or --admin-email) and LINGER_ADMIN_PASSWORD go together' };
  }
  if (adminEmail !== undefined && adminPassword !== undefined) {
    if (adminPassword.length < 12) return { ok: false, error: 'LINGER_ADMIN_PASSWORD: at least 12 characters' };
    options.admin = { email: adminEmail, password: adminPassword };
  }
  return { ok: true, options, help: values.help === true };
}
