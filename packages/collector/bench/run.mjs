#!/usr/bin/env node
// The collector under a real vendor's load:
//
//   npm run bench:collector [-- --events 1000000 | --10m] [--days 90] [--out bench/RESULTS.md]
//   DATABASE_URL=… npm run bench:collector -- --reuse <write key>   (time data ingested before)
//
// Generates realistic users and events (bench/generate.mjs), ingests them through the real
// HTTP API of a collector started as its own process (`server.mjs`), waits until everything
// acknowledged is stored, then times every insight endpoint cold (first request after a
// restart of the collector) and warm, the whole dashboard (all insights at once, as the page
// loads them), and the latency of one-event batches and /healthz sent while dashboards load.
// Runs on the embedded engine, and on PostgreSQL too when DATABASE_URL is set (it writes
// under a fresh write key there). Appends a results table to --out.
import { spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, appendFile, open, readdir, readFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateBatches } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    events: { type: 'string' },
    '10m': { type: 'boolean', default: false },
    days: { type: 'string', default: '90' },
    batch: { type: 'string', default: '200' },
    senders: { type: 'string', default: '6' },
    engine: { type: 'string' },
    out: { type: 'string', default: join(here, 'RESULTS.md') },
    'probe-seconds': { type: 'string', default: '20' },
    // stop after ingestion; with --profile <dir>, the collector writes a V8 CPU profile there
    'ingest-only': { type: 'boolean', default: false },
    // time the insights of data ingested before (PostgreSQL, DATABASE_URL) under this write key
    reuse: { type: 'string' },
    profile: { type: 'string' },
  },
});
const EVENTS = args['10m'] ? 10_000_000 : Number(args.events ?? 1_000_000);
const DAYS = Number(args.days);
const BATCH = Number(args.batch);
const SENDERS = Number(args.senders);
const INSIGHTS = ['activation', 'adoption', 'satisfaction', 'churn', 'at-risk', 'gamification', 'guidance'];
const engines = args.reuse ? ['postgres'] : args.engine ? [args.engine] : ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
if (args.reuse && !process.env.DATABASE_URL) throw new Error('--reuse times data kept in PostgreSQL: set DATABASE_URL');

const ms = (n) => (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));
const percentile = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const median = (list) => percentile(list, 50);
const log = (line) => console.log(`[bench] ${line}`);

// The insights API needs a sign-in: the bench creates (or resets) an account of its own.
const ADMIN = { email: 'bench@localhost', password: `bench-${process.pid}-${Date.now()}` };
/** Session cookies by collector URL. */
const sessions = new Map();

async function signIn(url) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  sessions.set(url, (res.headers.get('set-cookie') ?? '').split(';')[0]);
}

/** Starts `server.mjs` as its own process and resolves with its URL. */
function startCollector({ dataDir, databaseUrl, key }) {
  const child = spawn(process.execPath, [
    ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []),
    join(here, '..', 'server.mjs'), '--port', '0', '--keys', key, '--rate', '100000000:100000000', '--max-body', String(8 * 1024 * 1024),
    ...(dataDir ? ['--data-dir', dataDir] : []),
  ], {
    env: { ...process.env, DATABASE_URL: databaseUrl ?? '', LINGER_ADMIN_EMAIL: ADMIN.email, LINGER_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => {
    output += chunk;
    // the collector's own complaints belong in the bench's log
    for (const line of String(chunk).split('\n')) if (/failed|error/i.test(line)) console.error(`[collector] ${line}`);
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /dashboard\s+(http:\/\/[^/\s]+)/.exec(output);
      if (match && !sessions.has(match[1])) {
        const url = match[1];
        sessions.set(url, '');
        signIn(url).then(() => resolve({ url, pid: child.pid, stop: () => stopProcess(child) }), reject);
      }
    });
    child.once('exit', (code) => reject(new Error(`collector exited (${code}):\n${output}`)));
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// node:http with kept-alive sockets: the load generator shares the cores with the collector,
// and fetch spent about twice its CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url, key, batch) {
  return postBody(url, key, Buffer.from(JSON.stringify({ batch, sentAt: new Date().toISOString() })));
}

const authorizations = new Map();
const authorization = (key) => {
  if (!authorizations.has(key)) authorizations.set(key, `Basic ${Buffer.from(`${key}:`).toString('base64')}`);
  return authorizations.get(key);
};

/**
 * Posts a serialised `/v1/batch` body; resolves with the answer, rejects unless every event was
 * accepted. A kept-alive socket the collector closed just as this wrote to it (its idle timeout,
 * when the generator was starved of CPU) is retried once on a new one: messageIds make it safe.
 */
function postBody(url, key, body, retried = false) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/batch`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, Authorization: authorization(key) },
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let answer;
        try {
          answer = JSON.parse(text);
        } catch {
          return reject(new Error(`batch refused: ${res.statusCode} ${text.slice(0, 300)}`));
        }
        if (res.statusCode !== 200 || answer.rejected.length > 0) return reject(new Error(`batch refused: ${res.statusCode} ${text.slice(0, 300)}`));
        resolve(answer);
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(postBody(url, key, body, true));
      else reject(error);
    });
    req.end(body);
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux): the load
 * generator shares the cores with the collector, so events/s alone says little about what
 * the collector itself costs per event. Undefined where /proc is missing.
 */
async function cpuSeconds(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces) start at state; utime, stime are 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return ticks / hz;
  } catch {
    return undefined;
  }
}

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function insight(url, key, name, days) {
  const to = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000);
  const from = new Date(to.getTime() - days * 86_400_000);
  const res = await fetch(`${url}/api/insights/${name}?key=${key}&from=${from.toISOString().slice(0, 10)}&to=${new Date(to - 1).toISOString().slice(0, 10)}`, {
    headers: { Cookie: sessions.get(url) ?? '' },
  });
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Serialises every batch to a file before the clock starts (a 4-byte length, then the body),
 * so the generator's CPU during ingestion is reading and posting, not making up users. The
 * bodies carry no `sentAt`: with one written minutes before sending, clock-skew correction
 * would move every event by that delay.
 */
async function preserialise(key, dir) {
  const path = join(dir, 'bodies.bin');
  const fd = openSync(path, 'w');
  const length = Buffer.alloc(4);
  let events = 0;
  try {
    for (const batch of generateBatches({ events: EVENTS, days: DAYS, batchSize: BATCH, key })) {
      const body = Buffer.from(JSON.stringify({ batch }));
      length.writeUInt32BE(body.length);
      writeSync(fd, length);
      writeSync(fd, body);
      events += batch.length;
    }
  } finally {
    closeSync(fd);
  }
  return { path, events };
}

/** Reads the bodies back in order; concurrent callers each get the next one (or undefined at the end). */
async function bodyReader(path) {
  const file = await open(path, 'r');
  let queue = Promise.resolve();
  const length = Buffer.alloc(4);
  const next = async () => {
    const { bytesRead } = await file.read(length, 0, 4, null);
    if (bytesRead < 4) return undefined;
    const body = Buffer.allocUnsafe(length.readUInt32BE());
    await file.read(body, 0, body.length, null);
    return body;
  };
  return {
    next: () => (queue = queue.then(next)),
    close: () => file.close(),
  };
}

/**
 * PostgreSQL's CPU seconds so far when the server runs on this machine: the postmaster with
 * the children it has reaped, plus every live child (backends, autovacuum, WAL writer), from
 * /proc. The postmaster is the parent of a backend this opens. Undefined elsewhere.
 */
async function postgresCpu(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query('select pg_backend_pid() as pid');
  const statOf = async (pid) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  };
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  let postmaster;
  try {
    postmaster = (await statOf(rows[0].pid))[1];
  } catch {
    postmaster = undefined;
  }
  return {
    client,
    async seconds() {
      if (postmaster === undefined) return undefined;
      let ticks = 0;
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        let fields;
        try {
          fields = await statOf(entry);
        } catch {
          continue; // exited meanwhile: its time is in the postmaster's reaped children
        }
        // utime, stime, cutime, cstime are fields 14-17 (11-14 after the command name)
        if (Number(entry) === postmaster) ticks += fields[11] + fields[12] + fields[13] + fields[14];
        else if (fields[1] === postmaster) ticks += fields[11] + fields[12];
      }
      return ticks / hz;
    },
    /** Resolves once the stored events are all folded into the rollups (nothing staged, committed). */
    async rolledUp() {
      for (;;) {
        const { rows: staged } = await client.query('select exists (select 1 from rollup_staging) as any');
        if (!staged[0].any) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => client.end(),
  };
}

async function ingest(url, key, pid, databaseUrl) {
  const scratch = await mkdtemp(join(tmpdir(), 'linger-bench-bodies-'));
  const database = databaseUrl ? await postgresCpu(databaseUrl) : undefined;
  try {
    const prepared = await preserialise(key, scratch);
    log(`  ${prepared.events.toLocaleString('en-US')} events serialised`);
    const bodies = await bodyReader(prepared.path);
    let sent = 0;
    const acks = [];
    const collectorCpuBefore = await cpuSeconds(pid);
    const databaseCpuBefore = await database?.seconds();
    const ownCpuBefore = process.cpuUsage();
    const started = performance.now();
    let lastLog = started;
    const sender = async () => {
      for (;;) {
        const body = await bodies.next();
        if (!body) return;
        const answer = {};
        const took = await timed(async () => Object.assign(answer, await postBody(url, key, body)));
        acks.push(took);
        sent += answer.accepted;
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`  ${sent.toLocaleString('en-US')} events, ${Math.round(sent / ((lastLog - started) / 1000)).toLocaleString('en-US')}/s`);
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const ackedMs = performance.now() - started;
    await bodies.close();
    // acknowledged is not stored on the embedded engine: wait for the journal backlog
    for (;;) {
      const health = await (await fetch(`${url}/healthz`)).json();
      if (!health.backlog) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const storedMs = performance.now() - started;
    // on PostgreSQL the CPU counts the folding too: everything a stored event costs
    await database?.rolledUp();
    const rolledUpMs = performance.now() - started;
    const collectorCpuAfter = await cpuSeconds(pid);
    const databaseCpuAfter = await database?.seconds();
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const difference = (before, after) => (before === undefined || after === undefined ? undefined : after - before);
    const perThousand = (seconds) => (seconds === undefined ? undefined : (seconds * 1000) / (sent / 1000));
    const collectorCpu = perThousand(difference(collectorCpuBefore, collectorCpuAfter));
    const databaseCpu = perThousand(difference(databaseCpuBefore, databaseCpuAfter));
    const generatorCpu = perThousand((ownCpu.user + ownCpu.system) / 1e6);
    // ms per 1,000 events is µs per event
    const coreMicros = collectorCpu === undefined ? undefined : collectorCpu + (databaseCpu ?? 0) + generatorCpu;
    return {
      sent, ackedPerSecond: sent / (ackedMs / 1000), storedPerSecond: sent / (storedMs / 1000), rolledUpPerSecond: sent / (rolledUpMs / 1000),
      ackP50: median(acks), ackP99: percentile(acks, 99),
      // CPU ms per 1,000 events: the collector process (all its threads), PostgreSQL, this generator
      collectorCpu, databaseCpu, generatorCpu, coreMicros,
      twoCorePerSecond: coreMicros === undefined ? undefined : 2e6 / coreMicros,
      wallSeconds: storedMs / 1000,
    };
  } finally {
    await database?.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One-event batches and health checks, one after the other, while `load` runs. */
async function probeDuring(url, key, load) {
  const batchLatencies = [];
  const healthLatencies = [];
  let loading = true;
  let n = 0;
  const loadDone = load().finally(() => (loading = false));
  while (loading) {
    batchLatencies.push(await timed(() => post(url, key, [{
      type: 'track', event: 'Feature Used', userId: 'probe', properties: { feature: 'search' },
      messageId: `probe-${key}-${n++}`, timestamp: new Date().toISOString(),
    }])));
    healthLatencies.push(await timed(async () => (await fetch(`${url}/healthz`)).json()));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await loadDone;
  return { samples: batchLatencies.length, p50: median(batchLatencies), p99: percentile(batchLatencies, 99), max: Math.max(...batchLatencies), healthP99: percentile(healthLatencies, 99) };
}

async function measure(engine) {
  const key = args.reuse ?? `pk_bench_${Date.now().toString(36)}`;
  const dataDir = engine === 'pglite' ? await mkdtemp(join(tmpdir(), 'linger-bench-')) : undefined;
  const databaseUrl = engine === 'postgres' ? process.env.DATABASE_URL : undefined;
  const load = { start: loadavg()[0] };
  log(`${engine}: ${EVENTS.toLocaleString('en-US')} events over ${DAYS} days, batches of ${BATCH}, ${SENDERS} senders`);
  let collector = await startCollector({ dataDir, databaseUrl, key });
  try {
    const ingestion = args.reuse ? undefined : await ingest(collector.url, key, collector.pid, databaseUrl);
    if (ingestion) log(`  ingested ${ingestion.sent.toLocaleString('en-US')} events: ${Math.round(ingestion.ackedPerSecond)}/s acknowledged, ${Math.round(ingestion.storedPerSecond)}/s stored; ` +
      `CPU per 1,000 events: collector ${ms(ingestion.collectorCpu ?? NaN)} ms, database ${ingestion.databaseCpu === undefined ? 'in the collector\'s' : `${ms(ingestion.databaseCpu)} ms`}, generator ${ms(ingestion.generatorCpu)} ms; ` +
      `${ms(ingestion.coreMicros ?? NaN)} core-µs per event, ${Math.round(ingestion.twoCorePerSecond ?? NaN).toLocaleString('en-US')}/s on 2 whole cores; ` +
      `${Math.round(ingestion.rolledUpPerSecond)}/s rolled up; load average ${loadavg()[0].toFixed(1)}`);
    if (args['ingest-only']) return undefined;

    // cold: a fresh collector process (PostgreSQL's own caches stay warm; PGlite's go)
    await collector.stop();
    collector = await startCollector({ dataDir, databaseUrl, key });
    const cold = {};
    for (const name of INSIGHTS) cold[name] = await timed(() => insight(collector.url, key, name, 30));
    const warm = {};
    const warm90 = {};
    for (const name of INSIGHTS) {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await timed(() => insight(collector.url, key, name, 30)));
      warm[name] = median(runs);
      const runs90 = [];
      for (let i = 0; i < 3; i++) runs90.push(await timed(() => insight(collector.url, key, name, 90)));
      warm90[name] = median(runs90);
    }
    const dashboardRuns = [];
    for (let i = 0; i < 3; i++) dashboardRuns.push(await timed(() => Promise.all(INSIGHTS.map((name) => insight(collector.url, key, name, 30)))));
    const dashboard = median(dashboardRuns);
    log(`  dashboard (30 days, warm): ${ms(dashboard)} ms`);

    // dashboards loading back to back (90-day ranges, the heaviest), for a while
    const until = performance.now() + Number(args['probe-seconds']) * 1000;
    const probe = await probeDuring(collector.url, key, async () => {
      while (performance.now() < until) await Promise.all(INSIGHTS.map((name) => insight(collector.url, key, name, 90)));
    });
    log(`  one-event batch while dashboards load: p50 ${ms(probe.p50)} ms, p99 ${ms(probe.p99)} ms (${probe.samples} samples)`);
    load.end = loadavg()[0];
    return { engine, ingestion, cold, warm, warm90, dashboard, probe, load };
  } finally {
    await collector.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function report(results) {
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const lines = [
    `## ${when} UTC — ${EVENTS.toLocaleString('en-US')} events, ${DAYS} days`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      `Load average (1 min) at start / end: ${results.map((r) => `${r.engine} ${r.load.start.toFixed(1)} / ${r.load.end.toFixed(1)}`).join(', ')}.`,
    `Ingestion: batches of ${BATCH} events from ${SENDERS} concurrent senders over HTTP; the collector is its own process.`,
    '',
    `| figure | ${results.map((r) => r.engine).join(' | ')} |`,
    `|---|${results.map(() => '---:').join('|')}|`,
    ...(args.reuse
      ? [`| events stored | (ingested before, write key ${args.reuse}) |`]
      : [
          `| events stored | ${results.map((r) => r.ingestion.sent.toLocaleString('en-US')).join(' | ')} |`,
          `| ingestion, events/s acknowledged | ${results.map((r) => Math.round(r.ingestion.ackedPerSecond).toLocaleString('en-US')).join(' | ')} |`,
          `| ingestion, events/s stored (backlog drained) | ${results.map((r) => Math.round(r.ingestion.storedPerSecond).toLocaleString('en-US')).join(' | ')} |`,
          `| collector CPU per 1,000 events ingested, ms (all its threads) | ${results.map((r) => ms(r.ingestion.collectorCpu ?? NaN)).join(' | ')} |`,
          `| ingestion, events/s folded into the rollups | ${results.map((r) => Math.round(r.ingestion.rolledUpPerSecond).toLocaleString('en-US')).join(' | ')} |`,
          // PGlite runs in the collector's worker thread: its CPU is in the collector's row.
          `| PostgreSQL CPU per 1,000 events, ms (all its processes, folding included) | ${results.map((r) => (r.ingestion.databaseCpu === undefined ? 'in the collector\'s' : ms(r.ingestion.databaseCpu))).join(' | ')} |`,
          `| load generator CPU per 1,000 events, ms (same cores, bodies serialised beforehand) | ${results.map((r) => ms(r.ingestion.generatorCpu)).join(' | ')} |`,
          `| core-µs per event, all three; events/s that is on 2 whole cores | ${results.map((r) => `${ms(r.ingestion.coreMicros ?? NaN)}; ${Math.round(r.ingestion.twoCorePerSecond ?? NaN).toLocaleString('en-US')}`).join(' | ')} |`,
          `| batch ack during ingestion p50 / p99, ms | ${results.map((r) => `${ms(r.ingestion.ackP50)} / ${ms(r.ingestion.ackP99)}`).join(' | ')} |`,
        ]),
    `| whole dashboard, 30 days, warm, ms | ${results.map((r) => ms(r.dashboard)).join(' | ')} |`,
    ...INSIGHTS.map((name) => `| ${name}, 30 days: cold / warm, ms | ${results.map((r) => `${ms(r.cold[name])} / ${ms(r.warm[name])}`).join(' | ')} |`),
    ...INSIGHTS.map((name) => `| ${name}, 90 days, warm, ms | ${results.map((r) => ms(r.warm90[name])).join(' | ')} |`),
    `| one-event batch while dashboards load, p50 / p99 / max, ms | ${results.map((r) => `${ms(r.probe.p50)} / ${ms(r.probe.p99)} / ${ms(r.probe.max)} (${r.probe.samples})`).join(' | ')} |`,
    `| /healthz while dashboards load, p99, ms | ${results.map((r) => ms(r.probe.healthP99)).join(' | ')} |`,
    '',
  ];
  return lines.join('\n');
}

// the collector process runs the build: make it the current source's
const built = spawnSync(process.execPath, [join(here, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const results = [];
for (const engine of engines) results.push(await measure(engine));
if (args['ingest-only']) process.exit(0); // (kept-alive sockets would hold the process)
const table = report(results);
console.log(`\n${table}`);
await appendFile(args.out, `${table}\n`);
log(`appended to ${args.out}`);
agent.destroy();
