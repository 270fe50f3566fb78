#!/usr/bin/env node
// What a vendor pays once when an upgrade brings a data migration (migration 95: anonymous
// visitors in their own person namespace, then every fact rollup and the distinct days rebuilt):
//
//   node packages/collector/bench/migration.mjs [--events 1000000] [--days 90] [--engine pglite|postgres]
//     [--old <git rev before the migration, default d17b72b~1>] [--keep] [--no-compare]
//   (PostgreSQL: `source packages/collector/scripts/ci-postgres.sh` first; it reads
//    LINGER_TEST_DATABASE_URL or DATABASE_URL and makes its own databases on that server)
//
// Per engine: the old code (`git archive <old>`) ingests synthetic traffic (bench/generate.mjs,
// reshaped: 30% of people are anonymous visitors, half of whom identify some days later, half
// never; visitors' identify/group calls write anonymous traits and memberships; ~1 person per 200
// events, so 5,000 at 1M, with surveys, tours, checklists and cancel flows) and folds its
// rollups; then the new code's real collector (`startCollector`) starts on that data, migrating
// it, while this script probes /healthz and sends a one-event batch every 250 ms: the seconds
// until it answers, its peak RSS, and what the probes saw. Last, the new code ingests the same
// events into an empty database, and every dashboard insight (30 and 90 days, with the identity
// summary; both identity modes; with and without a plan:pro segment) and 16 person-keyed tables
// are read from both: any difference is printed and makes the exit status 1.
// Every phase is its own Node process, so each peak RSS is that phase's alone (on PostgreSQL the
// migration's work is the server's: its memory is not in these figures). A crashed run leaves its
// bundles in bench/.migration-*; remove them by hand.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const collectorRoot = join(here, '..');
const DAY = 86_400_000;
const INSIGHTS = ['activation', 'adoption', 'satisfaction', 'churn', 'at-risk', 'gamification', 'guidance'];
const KEY = 'bench';
const PROBE_KEY = 'probe';
const TABLES = ['identities', 'user_traits', 'group_traits', 'memberships', 'verified_users', 'rollup_people', 'rollup_activity',
  'rollup_event_days', 'rollup_person_days', 'rollup_distinct_days', 'rollup_cancel_sessions', 'rollup_responses',
  'rollup_checklist_firsts', 'rollup_person_bits', 'rollup_event_totals', 'fact_events'];

const { values: args } = parseArgs({
  options: {
    phase: { type: 'string' },
    code: { type: 'string' },
    target: { type: 'string' },
    other: { type: 'string' },
    port: { type: 'string' },
    now: { type: 'string' },
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    engine: { type: 'string' },
    old: { type: 'string', default: 'd17b72b~1' },
    keep: { type: 'boolean', default: false },
    // time the upgrade only: no fresh ingest, no comparison
    'no-compare': { type: 'boolean', default: false },
  },
});

const peakMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const say = (result) => process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
const load = (code) => import(pathToFileURL(join(code, 'entry.mjs')).href);
/** `target` is a PostgreSQL URL or a PGlite data folder. */
const dbOptions = (target) => (/^postgres(ql)?:/.test(target) ? { databaseUrl: target } : { dataDir: target });

/** The generator's traffic with anonymous visitors: 30% of people, half of them never identify. */
function* reshaped(options) {
  const { generateBatches } = options.generator;
  const switchAt = new Map(); // person → time their anonymous period ends (Infinity: never)
  const hash = (id) => [...id].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
  const plan = (id) => {
    const h = hash(id) % 100;
    return h < 15 ? 'never' : h < 30 ? 'later' : 'now';
  };
  const switched = new Set();
  for (const batch of generateBatches(options)) {
    const out = [];
    for (const message of batch) {
      const id = message.userId ?? message.anonymousId.replace(/^anon-[^-]+-/, 'u');
      const kind = plan(id);
      if (kind === 'now') {
        out.push(message);
        continue;
      }
      const at = Date.parse(message.timestamp);
      if (!switchAt.has(id)) switchAt.set(id, kind === 'never' ? Infinity : at + (3 + (hash(id) % 10)) * DAY);
      const { userId, ...anonymous } = message;
      if (at < switchAt.get(id)) {
        // the identify call an anonymous visitor's page makes carries traits, but no user id
        out.push(anonymous);
        continue;
      }
      if (!switched.has(id)) {
        switched.add(id);
        out.push({ ...anonymous, type: 'identify', userId: id, messageId: `${message.messageId}-identify`, traits: { plan: 'pro', role: 'member' } });
      }
      out.push(userId === undefined ? { ...anonymous, userId: id } : message);
    }
    yield out;
  }
}

// ---- child phases -----------------------------------------------------------------------------

/** Ingests the reshaped traffic through the code's own ingestion and sink, then folds the rollups. */
async function ingestPhase() {
  const code = await load(args.code);
  const generator = await import(pathToFileURL(join(here, 'generate.mjs')).href);
  const started = performance.now();
  const db = await code.openDatabase(dbOptions(args.target));
  const sink = code.directSink(db);
  let stored = 0;
  let batches = 0;
  for (const events of reshaped({ generator, events: Number(args.events), days: Number(args.days), batchSize: 500, now: Number(args.now), key: KEY })) {
    const result = await code.ingest(sink, { secrets: {}, userHashMode: 'mark' }, { writeKey: KEY, events, receivedAt: new Date(Number(args.now)) });
    if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
    stored += result.accepted;
    // fold as the collector does (every second), so the staging table never holds everything
    if (++batches % 40 === 0) await code.refreshRollups(db);
  }
  await sink.drained();
  while ((await code.refreshRollups(db)) > 0);
  await sink.close();
  await db.close();
  say({ stored, seconds: (performance.now() - started) / 1000, peakMiB: peakMiB() });
}

/** The real collector of the new code starting on the old data: the migration runs before it listens. */
async function upgradePhase() {
  const code = await load(args.code);
  const started = performance.now();
  const collector = await code.startCollector({
    port: Number(args.port), host: '127.0.0.1', keys: [KEY, PROBE_KEY], ...dbOptions(args.target),
    ...(dbOptions(args.target).dataDir ? {} : { dataDir: null }), log: () => undefined,
  });
  const seconds = (performance.now() - started) / 1000;
  say({ seconds, peakMiB: peakMiB() });
  // the parent sees /healthz answer, then tells us to stop
  await new Promise((resolve) => process.stdin.once('data', resolve));
  await collector.close();
  // the same start-up again, with nothing to migrate: what start-up costs anyway
  const again = performance.now();
  const second = await code.startCollector({
    port: 0, host: '127.0.0.1', keys: [KEY, PROBE_KEY], ...dbOptions(args.target),
    ...(dbOptions(args.target).dataDir ? {} : { dataDir: null }), log: () => undefined,
  });
  const baseline = (performance.now() - again) / 1000;
  await second.close();
  say({ seconds, peakMiB: peakMiB(), baseline });
}

/** Every dashboard insight from the migrated data and from the fresh ingest, compared. */
async function readoutsPhase() {
  const code = await load(args.code);
  const migrated = await code.openDatabase(dbOptions(args.target));
  const fresh = await code.openDatabase(dbOptions(args.other));
  const now = new Date(Number(args.now));
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const differences = [];
  let compared = 0;
  const variants = [];
  for (const days of [30, 90]) for (const identity of ['verified', 'all']) for (const segment of [[], [{ trait: 'plan', value: 'pro' }]]) variants.push({ days, identity, segment });
  for (const { days, identity, segment } of variants) {
    const filter = { writeKey: KEY, from: new Date(today + DAY - days * DAY), to: new Date(today + DAY), segments: segment, identity };
    for (const name of INSIGHTS) {
      const answer = async (db) => ({
        result: await code.insights[name]({ db, filter, catalog: code.emptyCatalog, query: new URLSearchParams(), now, source: 'rollups' }),
        identity: await code.identitySummary(db, filter, 'rollups'),
      });
      const [a, b] = [await answer(migrated), await answer(fresh)];
      compared++;
      if (!isDeepStrictEqual(a, b)) differences.push({ insight: `${name} (${identity}${segment.length ? ', plan:pro' : ''})`, days, migrated: a, fresh: b });
    }
  }
  // the stored rows too, whatever no insight reads yet (times of writing left out)
  const tables = [];
  for (const table of TABLES) {
    const sql = `select count(*)::int as n, coalesce(md5(string_agg(r, '|' order by r)), '') as digest from (
      select (to_jsonb(t) - 'id' - 'updated_at' - 'created_at' - 'applied_at')::text as r from ${table} t
      where to_jsonb(t) ->> 'write_key' is distinct from '${PROBE_KEY}') x`;
    const [[a], [b]] = [(await migrated.query(sql)).rows, (await fresh.query(sql)).rows];
    tables.push({ table, migrated: a.n, fresh: b.n, equal: a.digest === b.digest });
  }
  await migrated.close();
  await fresh.close();
  say({ compared, differences, tables });
}

// ---- the parent -------------------------------------------------------------------------------

function child(phase, extra, { onLine, stdin } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--phase', phase, ...extra], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let result;
    let buffer = '';
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('RESULT ')) {
          result = JSON.parse(line.slice(7));
          onLine?.(result, proc);
        } else process.stdout.write(`  [${phase}] ${line}\n`);
      }
    });
    if (!stdin) proc.stdin.end();
    proc.on('exit', (status) => (status === 0 && result ? resolve(result) : reject(new Error(`${phase} exited ${status}`))));
  });
}

function probe(port, method, path, body) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request({
      host: '127.0.0.1', port, method, path, timeout: 5000,
      headers: body ? { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${PROBE_KEY}:`).toString('base64')}` } : {},
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: error.code ?? error.message, ms: performance.now() - started }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Bundles the collector source at `srcDir` (its server, ingestion, insights) into `out/entry.mjs`. */
async function bundle(srcDir, out) {
  const { build } = await import('vite');
  await mkdir(out, { recursive: true });
  const entry = join(out, 'entry.ts');
  const from = (path) => JSON.stringify(join(srcDir, path));
  await writeFile(entry, `
    export { startCollector } from ${from('server.ts')};
    export { openDatabase } from ${from('db/open.ts')};
    export { refreshRollups } from ${from('db/rollups.ts')};
    export { ingest } from ${from('ingest/ingest.ts')};
    export { directSink } from ${from('ingest/sink.ts')};
    export { insights } from ${from('insights/registry.ts')};
    export { identitySummary } from ${from('insights/identity-summary.ts')};
    export { emptyCatalog } from ${from('insights/flows-catalog.ts')};
  `);
  await build({
    configFile: false, root: dirname(out), logLevel: 'warn',
    build: {
      ssr: true, target: 'node20', outDir: out, emptyOutDir: false, minify: false,
      rollupOptions: { input: { entry }, output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
    },
    ssr: { external: ['pg', '@electric-sql/pglite', 'zod'] },
  });
}

async function main() {
  const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim();
  // Inside the package, so the bundles find its node_modules and the embedded engine's worker script.
  const pgUrl = process.env.DATABASE_URL ?? process.env.LINGER_TEST_DATABASE_URL;
  const engines = args.engine ? [args.engine] : ['pglite', ...(pgUrl ? ['postgres'] : [])];
  if (engines.includes('postgres') && !pgUrl) throw new Error('PostgreSQL: set DATABASE_URL or LINGER_TEST_DATABASE_URL (scripts/ci-postgres.sh)');
  const scratch = await mkdtemp(join(here, '.migration-'));
  const now = String(Date.now());
  let failed = false;
  try {
    const oldSrc = join(scratch, 'old-src');
    await mkdir(oldSrc);
    const tar = execFileSync('git', ['archive', args.old, 'packages/collector/src', 'packages/sdk/src'], { cwd: repoRoot, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', oldSrc], { input: tar });
    await bundle(join(oldSrc, 'packages/collector/src'), join(scratch, 'old'));
    await bundle(join(collectorRoot, 'src'), join(scratch, 'new'));

    for (const engine of engines) {
      const load1 = loadavg()[0].toFixed(1);
      let upgraded;
      let fresh;
      let admin;
      if (engine === 'postgres') {
        const pg = (await import('pg')).default;
        admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        const suffix = `${process.pid}`;
        for (const name of ['upgraded', 'fresh']) await admin.query(`create database linger_mig_${name}_${suffix}`);
        const url = new URL(pgUrl);
        upgraded = Object.assign(new URL(url), { pathname: `/linger_mig_upgraded_${suffix}` }).href;
        fresh = Object.assign(new URL(url), { pathname: `/linger_mig_fresh_${suffix}` }).href;
      } else {
        upgraded = join(scratch, 'pglite-upgraded');
        fresh = join(scratch, 'pglite-fresh');
      }
      const common = ['--events', args.events, '--days', args.days, '--now', now];
      console.log(`${engine}: the old code ingests ${args.events} events over ${args.days} days…`);
      const before = await child('ingest', ['--code', join(scratch, 'old'), '--target', upgraded, ...common]);
      console.log(`  stored ${before.stored} in ${before.seconds.toFixed(0)} s`);

      // the upgrade: start the new collector and probe it until it answers, then a little longer
      const port = 20000 + Math.floor(Math.random() * 20000);
      const probes = { healthz: {}, batch: {} };
      const count = (kind, r) => (probes[kind][r.status] = (probes[kind][r.status] ?? 0) + 1);
      let listening = false;
      let firstHealthz;
      const upgradeStarted = performance.now();
      let n = 0;
      const ticker = setInterval(() => {
        void probe(port, 'GET', '/healthz').then((r) => {
          count('healthz', r);
          if (r.status === 200 && firstHealthz === undefined) firstHealthz = (performance.now() - upgradeStarted) / 1000;
        });
        void probe(port, 'POST', '/v1/batch', { batch: [{ type: 'track', event: 'Probe', anonymousId: 'probe', messageId: `probe-${n++}` }] })
          .then((r) => count('batch', r));
      }, 250);
      console.log(`${engine}: the new collector starts on that data (migration 95)…`);
      const upgrade = await child('upgrade', ['--code', join(scratch, 'new'), '--target', upgraded, '--port', String(port), ...common], {
        stdin: true,
        onLine: (_result, proc) => {
          if (listening) return;
          listening = true;
          setTimeout(() => { clearInterval(ticker); proc.stdin.end('stop\n'); }, 3000);
        },
      });
      if (!listening) throw new Error('the upgraded collector never listened');

      let after = { seconds: NaN, peakMiB: NaN };
      let readouts = { compared: 0, differences: [], tables: [] };
      if (!args['no-compare']) {
        console.log(`${engine}: the new code ingests the same events into an empty database…`);
        after = await child('ingest', ['--code', join(scratch, 'new'), '--target', fresh, ...common]);
        console.log(`  stored ${after.stored} in ${after.seconds.toFixed(0)} s`);
        readouts = await child('readouts', ['--code', join(scratch, 'new'), '--target', upgraded, '--other', fresh, ...common]);
      }
      if (readouts.differences.length > 0 || readouts.tables.some((t) => !t.equal)) failed = true;

      console.log(`\n## ${engine}: ${before.stored.toLocaleString('en')} events, ${args.days} days (load average ${load1} → ${loadavg()[0].toFixed(1)})`);
      console.log(`| start-up with migration 95 (startCollector until listening), s | ${upgrade.seconds.toFixed(1)} |`);
      console.log(`| the same start-up again, nothing to migrate, s | ${upgrade.baseline.toFixed(1)} |`);
      console.log(`| first /healthz 200 after spawn, s | ${firstHealthz?.toFixed(1)} |`);
      console.log(`| peak RSS of the upgrading collector, MiB | ${upgrade.peakMiB} |`);
      console.log(`| /healthz probes by outcome | ${JSON.stringify(probes.healthz)} |`);
      console.log(`| one-event batches by outcome | ${JSON.stringify(probes.batch)} |`);
      console.log(`| old ingest (events + rollups), s / peak MiB | ${before.seconds.toFixed(0)} / ${before.peakMiB} |`);
      if (args['no-compare']) console.log('| compared with a fresh ingest | no (--no-compare) |');
      else {
        console.log(`| fresh ingest (new code), s / peak MiB | ${after.seconds.toFixed(0)} / ${after.peakMiB} |`);
        console.log(`| read-outs equal to a fresh ingest | ${readouts.compared - readouts.differences.length} of ${readouts.compared} |`);
      }
      const unequal = readouts.tables.filter((t) => !t.equal);
      if (!args['no-compare']) console.log(`| stored rows equal to a fresh ingest (${readouts.tables.length} tables) | ${unequal.length === 0 ? 'all' : `not: ${unequal.map((t) => `${t.table} (${t.migrated} vs ${t.fresh} rows)`).join(', ')}`} |`);
      for (const d of readouts.differences) {
        console.log(`\n### ${d.insight}, ${d.days} days differs\nmigrated: ${JSON.stringify(d.migrated).slice(0, 3000)}\nfresh:    ${JSON.stringify(d.fresh).slice(0, 3000)}`);
      }
      if (admin) {
        if (!args.keep) for (const name of ['upgraded', 'fresh']) await admin.query(`drop database linger_mig_${name}_${process.pid}`);
        await admin.end();
      }
    }
  } finally {
    if (args.keep) console.log(`kept ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

const phases = { ingest: ingestPhase, upgrade: upgradePhase, readouts: readoutsPhase };
await (args.phase ? phases[args.phase]() : main());
