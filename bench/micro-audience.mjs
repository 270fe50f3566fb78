// `node bench/micro-audience.mjs`: what one track() pays in audience rules (the 50-experience
// rules of flows.mjs), today vs a baseline git ref, in the same run. Not part of `npm test`.
// MICRO_BASE: the baseline git ref (default HEAD: what an uncommitted change does to the cost).
// Per-call numbers run in node (warm); the first-use cost of Intl runs in a fresh Chromium page.
import { execFileSync } from 'node:child_process'
import { cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rolldown } from 'rolldown'
import { launch } from './browser.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const BASE = process.env.MICRO_BASE ?? 'HEAD'
const CHANGED = ['audience.ts', 'usage.ts', 'glob.ts', 'platform-browser.ts']
// Under node_modules so the bundles' own imports (nanostores) resolve from the repo.
const work = join(root, 'node_modules/.micro-audience')
const ENTRY = `import { dayKeyIn } from './usage'
import { browserPlatform } from './platform-browser'
export { evaluateRule, explainRule } from './audience'
export { dayKeyIn, emptyProfile, recordEvent } from './usage'
/** What a page pays first: the zone every event carries, then the usage store's day for now. */
export function firstDay() {
  const platform = browserPlatform()
  const t0 = performance.now()
  const day = dayKeyIn(platform.timezone())(platform.now())
  return [performance.now() - t0, platform.timezone(), day]
}
`

async function bundle(name, src) {
  await writeFile(join(src, 'micro-entry.ts'), ENTRY)
  const b = await rolldown({ input: join(src, 'micro-entry.ts'), tsconfig: false, platform: 'browser', logLevel: 'warn' })
  const esm = join(work, `${name}.mjs`)
  await b.write({ file: esm, format: 'es' })
  const { output } = await b.generate({ format: 'iife', name: `micro_${name}` })
  await b.close()
  return { mod: await import(pathToFileURL(esm).href), iife: output[0].code }
}

async function prepare() {
  await rm(work, { recursive: true, force: true })
  const before = join(work, 'before')
  await mkdir(work, { recursive: true })
  await cp(join(root, 'packages/sdk/src'), before, { recursive: true })
  for (const f of CHANGED) await writeFile(join(before, f), execFileSync('git', ['show', `${BASE}:packages/sdk/src/${f}`], { cwd: root }))
  const after = join(work, 'after')
  await cp(join(root, 'packages/sdk/src'), after, { recursive: true })
  return { before: await bundle('before', before), after: await bundle('after', after) }
}

const { EVENTS } = await import('./flows.mjs')
// flows.mjs keeps its rule builder private: the same shape, spelled out.
const ruleFor = (i) => ({
    all: [
      { daysSince: 'firstSeen', lte: 30 },
      { event: EVENTS[i % EVENTS.length], count: { gte: 1 }, withinDays: 14 },
      { not: { event: 'Account Deleted' } },
      { any: [{ trait: 'plan', eq: 'enterprise' }, { trait: 'seats', gte: 500 }, { url: '*/admin/*' }] },
    ],
})
const RULES = Array.from({ length: 50 }, (_, i) => ruleFor(i))
const facts = { checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 }

/** µs per "track": 50 rule checks at one `now`, as the engine does; `now` moves 37 ms a track. */
function perTrack(m, zone, tracks, url = 'https://app.example.com/projects/42?tab=board#top', quiet = false) {
  const dayKey = m.dayKeyIn(zone)
  let profile = m.emptyProfile()
  const t = Date.parse('2026-03-02T09:00:00Z')
  for (let i = 0; i < 200; i++) profile = m.recordEvent(profile, { name: EVENTS[i % EVENTS.length], time: t + i * 60_000 }, dayKey)
  let now = t + 200 * 60_000
  let sink = 0
  const start = performance.now()
  for (let k = 0; k < tracks; k++) {
    now += 37
    for (let i = 0; i < RULES.length; i++) {
      const ctx = { profile, traits: { plan: 'pro', seats: 3 }, now, today: dayKey(now), url, userKey: 'u1', experienceId: `x${i}`, facts }
      // quiet: as the engine checks a rule on track() (no words); else as why() explains it.
      sink += quiet ? 1 + m.evaluateRule(RULES[i], ctx) : m.explainRule(RULES[i], ctx).failed.length
    }
  }
  if (!sink) throw new Error('rules did not run')
  return ((performance.now() - start) * 1000) / tracks
}

function perDayKey(m, zone, calls) {
  const dayKey = m.dayKeyIn(zone)
  let now = Date.parse('2026-03-02T09:00:00Z')
  let sink = 0
  const start = performance.now()
  for (let k = 0; k < calls; k++) sink += dayKey((now += 37)).length
  if (!sink) throw new Error('no days')
  return ((performance.now() - start) * 1e6) / calls
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
function compare(label, unit, run, reps = 7) {
  const b = []
  const a = []
  for (let r = 0; r < reps; r++) {
    b.push(run(built.before.mod))
    a.push(run(built.after.mod))
  }
  const [mb, ma] = [median(b), median(a)]
  console.log(`| ${label} | ${mb.toFixed(1)} ${unit} | ${ma.toFixed(1)} ${unit} | ${(ma / mb).toFixed(3)}× |`)
}

const built = await prepare()
try {
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  console.log(`node ${process.version}, baseline ${BASE.slice(0, 10)}, medians of 7 interleaved runs\n`)
  console.log('| per call (node, warm) | before | after | after ÷ before |\n|---|---|---|---|')
  for (const m of [built.before.mod, built.after.mod]) perTrack(m, 'Asia/Tokyo', 200) // warm-up
  compare('50 rule checks (one track), zone Asia/Tokyo', 'µs', (m) => perTrack(m, 'Asia/Tokyo', 400))
  // A link carrying its state in a 2 MB percent-encoded fragment (an editor's document, a
  // shared filter): every track() checks the url rules again on the same address.
  const big = 'https://app.example.com/projects/42#' + 'a%20b/'.repeat(350_000)
  compare('50 rule checks (one track, as the engine: no words), a 2 MB percent-encoded link', 'µs', (m) => perTrack(m, 'Asia/Tokyo', 5, big, true), 3)
  compare('50 rules explained (why()), a 2 MB percent-encoded link', 'µs', (m) => perTrack(m, 'Asia/Tokyo', 2, big), 3)
  compare('dayKey(ms), named zone (Asia/Tokyo)', 'ns', (m) => perDayKey(m, 'Asia/Tokyo', 50_000))
  compare(`dayKey(ms), the runtime's own zone (dayKeyIn(), ${localZone})`, 'ns', (m) => perDayKey(m, undefined, 50_000))

  // First use in a page: the browser platform's zone, then the usage store's day for now.
  const browser = await launch()
  try {
    const rows = { before: [], after: [] }
    for (let r = 0; r < 5; r++)
      for (const name of ['before', 'after']) {
        const ctx = await browser.newContext({ timezoneId: 'America/New_York' })
        const page = await ctx.newPage()
        await page.goto('about:blank')
        await page.addScriptTag({ content: built[name].iife })
        const [ms, zone, day] = await page.evaluate(`micro_${name}.firstDay()`)
        if (zone !== 'America/New_York' || !/^\d{4}-\d\d-\d\d$/.test(day)) throw new Error(`${name}: got ${zone} ${day}`)
        rows[name].push(ms)
        await ctx.close()
      }
    const [mb, ma] = [median(rows.before), median(rows.after)]
    console.log(`\n| first use in a fresh Chromium page (zone + usage store's first day) | before | after | after ÷ before |\n|---|---|---|---|`)
    console.log(`| browserPlatform().timezone() + dayKeyIn(zone)(now) | ${mb.toFixed(1)} ms | ${ma.toFixed(2)} ms | ${(ma / mb).toFixed(3)}× |`)
  } finally {
    await browser.close()
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
