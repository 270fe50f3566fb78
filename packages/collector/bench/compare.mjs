#!/usr/bin/env node
// Old code against new code, insight by insight, on data ingested before (PostgreSQL):
//
//   node packages/collector/bench/compare.mjs --old <git rev> --key <write key> \
//     [--old-url <DATABASE_URL>] [--new-url <DATABASE_URL>] [--runs 3] [--days 30,90] \
//     [--insights at-risk,churn] [--segment plan:pro] [--dashboard] [--explain <insight>]
//
// Each insight is called directly (no HTTP, no collector process), with the identity summary
// the insights route adds, as the route calls it: the collector's own code, bundled from the
// working tree (new) and from `git archive <rev>` (old). Per insight and range: one warm-up
// each, then old and new alternated `--runs` times (the same data, the same moment, whatever
// else the machine is doing); the medians and their ratio are printed, and the answers
// compared: any difference is printed and makes the exit status 1. `--dashboard` also times
// the seven dashboard insights at once over 30 days (the page loads them together), through
// a pool of six connections like the collector's read pool.
//
// When a pass changes the schema, the old code needs the old schema: give it a copy of the
// database made before migrating (`createdb -T <db> <db>_old`) as --old-url (both default to
// DATABASE_URL), or, cheaper, copies of just the tables the pass changed, made before
// migrating in a schema of their own: `--old-schema old_code` reads those first
// (search_path old_code, public) and every other table from the same database; `--new-schema`
// likewise, to try the new code on a converted copy before migrating.
// `--explain <insight>` prints EXPLAIN ANALYZE of every statement that insight runs (new code).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const collectorRoot = join(here, '..');
const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: here, encoding: 'utf8' }).trim();
const { values: args } = parseArgs({
  options: {
    old: { type: 'string' },
    key: { type: 'string' },
    'old-url': { type: 'string' },
    'new-url': { type: 'string' },
    'old-schema': { type: 'string' },
    'new-schema': { type: 'string' },
    runs: { type: 'string', default: '3' },
    days: { type: 'string', default: '30,90' },
    insights: { type: 'string', default: 'activation,adoption,satisfaction,churn,at-risk,gamification,guidance' },
    segment: { type: 'string', multiple: true, default: [] },
    identity: { type: 'string', default: 'verified' },
    dashboard: { type: 'boolean', default: false },
    explain: { type: 'string' },
  },
});
if (!args.key) throw new Error('--key <write key> of the data to read');
const oldUrl = args['old-url'] ?? process.env.DATABASE_URL;
const newUrl = args['new-url'] ?? process.env.DATABASE_URL;
if (!newUrl || (args.old && !oldUrl)) throw new Error('set DATABASE_URL or --old-url / --new-url');
const RUNS = Number(args.runs);
const DAY = 86_400_000;
const DASHBOARD = ['activation', 'adoption', 'satisfaction', 'churn', 'at-risk', 'gamification', 'guidance'];

/** Temporary folders (bundles, the old source), removed before exiting. */
const scratch = [];
const scratchDir = async (prefix) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
const removeScratch = () => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));

/** Bundles the insights of the collector source at `srcDir` into one ES module and imports it. */
async function loadInsights(srcDir, label) {
  const out = await scratchDir(`linger-compare-${label}-`);
  const entry = join(out, 'entry.ts');
  await writeFile(entry, `
    export { insights } from ${JSON.stringify(join(srcDir, 'insights/registry.ts'))};
    export { identitySummary } from ${JSON.stringify(join(srcDir, 'insights/identity-summary.ts'))};
    export { emptyCatalog } from ${JSON.stringify(join(srcDir, 'insights/flows-catalog.ts'))};
  `);
  await build({
    configFile: false,
    root: out,
    logLevel: 'warn',
    build: {
      ssr: true, target: 'node20', outDir: join(out, 'dist'), emptyOutDir: true, minify: false,
      rollupOptions: { input: { entry }, output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
    ssr: { external: ['pg', '@electric-sql/pglite', 'zod'] },
  });
  return import(pathToFileURL(join(out, 'dist', 'entry.mjs')).href);
}

async function oldSource(rev) {
  const dir = await scratchDir('linger-compare-src-');
  const tar = execFileSync('git', ['archive', rev, 'packages/collector/src'], { cwd: repoRoot, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return join(dir, 'packages/collector/src');
}

// the collector's pool settings (src/db/postgres.ts): numbers as numbers, no JIT
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return (value) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};
const pool = (url, schema) => new pg.Pool({
  connectionString: url, types, max: 6, options: `-c jit=off${schema ? ` -c search_path=${schema},public` : ''}`,
});
const asQueryable = (p) => ({ query: async (sql, params = []) => ({ rows: (await p.query(sql, [...params])).rows }) });

/** Prints EXPLAIN ANALYZE of each statement before running it. */
const explaining = (p) => ({
  async query(sql, params = []) {
    const plan = await p.query(`explain (analyze, buffers, costs off) ${sql}`, [...params]);
    console.log(`\n--- ${sql.replace(/\s+/g, ' ').slice(0, 160)}…\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    return { rows: (await p.query(sql, [...params])).rows };
  },
});

const today = Math.floor(Date.now() / DAY) * DAY;
const filterFor = (days) => ({
  writeKey: args.key,
  from: new Date(today + DAY - days * DAY),
  to: new Date(today + DAY),
  segments: args.segment.map((s) => ({ trait: s.slice(0, s.indexOf(':')), value: s.slice(s.indexOf(':') + 1) })),
  identity: args.identity,
});
const now = new Date();

/** One insight answer as the route builds it (the insight and the identity summary, at once). */
async function answer(code, db, name, days) {
  const filter = filterFor(days);
  const [result, identity] = await Promise.all([
    code.insights[name]({ db, filter, catalog: code.emptyCatalog, query: new URLSearchParams(), now, source: 'rollups' }),
    code.identitySummary(db, filter, 'rollups'),
  ]);
  return { result, identity };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const fmt = (n) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));

const newCode = await loadInsights(join(collectorRoot, 'src'), 'new');
const oldCode = args.old ? await loadInsights(await oldSource(args.old), 'old') : undefined;
const newPool = pool(newUrl, args['new-schema']);
const oldPool = oldCode ? (oldUrl === newUrl && args['old-schema'] === args['new-schema'] ? newPool : pool(oldUrl, args['old-schema'])) : undefined;
const newDb = asQueryable(newPool);
const oldDb = oldPool ? asQueryable(oldPool) : undefined;

if (args.explain) {
  for (const days of args.days.split(',').map(Number)) {
    console.log(`\n===== ${args.explain}, ${days} days`);
    await answer(newCode, explaining(newPool), args.explain, days);
  }
  await newPool.end();
  await removeScratch();
  process.exit(0);
}

const loads = [loadavg()[0]];
let differences = 0;
const rows = [];
for (const name of args.insights.split(',')) {
  for (const days of args.days.split(',').map(Number)) {
    const times = { old: [], new: [] };
    let answers = {};
    // warm-up: the first read of a range pays for pages the next ones find cached
    if (oldCode) await answer(oldCode, oldDb, name, days);
    await answer(newCode, newDb, name, days);
    for (let i = 0; i < RUNS; i++) {
      if (oldCode) {
        const o = await timed(() => answer(oldCode, oldDb, name, days));
        times.old.push(o.ms);
        answers.old = o.value;
      }
      const n = await timed(() => answer(newCode, newDb, name, days));
      times.new.push(n.ms);
      answers.new = n.value;
    }
    loads.push(loadavg()[0]);
    const same = !oldCode || isDeepStrictEqual(answers.old, answers.new);
    if (!same) {
      differences++;
      console.log(`DIFFERENT: ${name}, ${days} days\n old: ${JSON.stringify(answers.old).slice(0, 2000)}\n new: ${JSON.stringify(answers.new).slice(0, 2000)}`);
    }
    const row = { name: `${name}, ${days} days`, old: oldCode ? median(times.old) : undefined, new: median(times.new), same };
    rows.push(row);
    console.log(`${row.name}: ${oldCode ? `old ${fmt(row.old)} ms, ` : ''}new ${fmt(row.new)} ms${oldCode ? ` (${(row.old / row.new).toFixed(1)}×), answers ${same ? 'the same' : 'DIFFERENT'}` : ''}; load ${loadavg()[0].toFixed(1)}`);
  }
}

if (args.dashboard) {
  const dashboard = (code, db) => Promise.all(DASHBOARD.map((name) => answer(code, db, name, 30)));
  const times = { old: [], new: [] };
  if (oldCode) await dashboard(oldCode, oldDb);
  await dashboard(newCode, newDb);
  for (let i = 0; i < RUNS; i++) {
    if (oldCode) times.old.push((await timed(() => dashboard(oldCode, oldDb))).ms);
    times.new.push((await timed(() => dashboard(newCode, newDb))).ms);
  }
  loads.push(loadavg()[0]);
  const row = { name: 'whole dashboard, 30 days (seven at once)', old: oldCode ? median(times.old) : undefined, new: median(times.new), same: true };
  rows.push(row);
  console.log(`${row.name}: ${oldCode ? `old ${fmt(row.old)} ms (runs ${times.old.map(fmt).join(', ')}), ` : ''}new ${fmt(row.new)} ms (runs ${times.new.map(fmt).join(', ')})`);
}

console.log(`\n| insight, warm, ms (load ${fmt(Math.min(...loads))}-${fmt(Math.max(...loads))}) | ${oldCode ? 'before | ' : ''}after |${oldCode ? ' before / after |' : ''}`);
console.log(`|---|${oldCode ? '---:|' : ''}---:|${oldCode ? '---:|' : ''}`);
for (const r of rows) console.log(`| ${r.name} | ${oldCode ? `${fmt(r.old)} | ` : ''}${fmt(r.new)} |${oldCode ? ` ${(r.old / r.new).toFixed(1)} |` : ''}`);
console.log(differences === 0 ? (oldCode ? '\nevery answer the same, old and new' : '') : `\n${differences} answers differ`);
await newPool.end();
if (oldPool && oldPool !== newPool) await oldPool.end();
await removeScratch();
process.exit(differences === 0 ? 0 : 1);
