// The size table: gzip -9 bytes of our entries (scripts/size.mjs's measure(), the numbers the
// budgets check) beside same-bundler builds of the competitors (competitors.mjs), compared like
// with like: what a page pays for the same job.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { measure } from '../scripts/size.mjs'

const gz = (buf) => gzipSync(buf, { level: 9 }).length
const sumFiles = (dir, files) => files.reduce((n, f) => n + gz(readFileSync(join(dir, f))), 0)

/** Our rows by name, plus the sums a comparison needs. */
export function ourSizes() {
  const rows = measure()
  const by = Object.fromEntries(rows.map((r) => [r.name, r.bytes]))
  const get = (name) => by[name] ?? 0
  const eager = get('linger.js (eager runtime)')
  // Everything a page with experiences loads on its first visit: start, the engine (with the
  // widgets mount in its chunk since issue 12's forty-first round), and the validation a
  // returning page skips.
  const engine =
    get('start (flows loading, options check, scheduled sending)') +
    get('engine and experience controllers (flows with something to show)') +
    get('flows validation (zod; a document not seen before)')
  const platform = get('widgets platform')
  // Every kind's controller comes in the engine's chunk (one controllers chunk since issue 12's
  // seventh round, in the engine's since its tenth): a page with one kind pays for all of them.
  const kind = (k) => get(`${k} UI`)
  return {
    rows,
    combos: {
      analytics: { bytes: eager, what: 'eager runtime (identity, track, outbox, autocapture)' },
      tours: { bytes: eager + engine + platform + kind('tours'), what: 'eager + start + engine + validation + widgets mount + widgets platform + controllers & tours UI' },
      // The tour libraries have no targeting, config validation or analytics: this is the part of
      // ours that does what they do.
      // The tours controller is in the engine's chunk, so the whole chunk counts: a page that
      // shows a tour loads it (the rules and the scheduler with it).
      'tour widget': { bytes: platform + get('engine and experience controllers (flows with something to show)') + kind('tours'), what: 'widgets platform + engine & controllers (one chunk) + tours UI (no analytics, no validation)' },
      surveys: { bytes: eager + engine + platform + kind('surveys'), what: 'eager + start + engine + validation + widgets mount + widgets platform + controllers & surveys UI' },
      everything: { bytes: rows.filter((r) => r.name !== 'snippet').reduce((n, r) => n + r.bytes, 0), what: 'every chunk (all five experiences)' },
    },
  }
}

/** `{ eager, lazy, css }` gzip bytes of a built competitor. */
export function competitorSizes(c) {
  const lazyOwn = c.main.all.filter((f) => !c.main.eager.includes(f))
  return {
    eager: sumFiles(c.dir, c.main.eager),
    lazy: sumFiles(c.dir, lazyOwn) + (c.lazy ? sumFiles(c.dir, c.lazy.all) : 0),
    css: c.css.reduce((n, b) => n + gz(b), 0),
  }
}

/** The comparisons the table prints: [our combo, competitor id]. */
export const SIZE_COMPARISONS = [
  ['tours', 'shepherd'],
  ['tours', 'driver'],
  ['tours', 'intro'],
  ['tour widget', 'shepherd'],
  ['tour widget', 'driver'],
  ['tour widget', 'intro'],
  ['surveys', 'posthog-surveys'],
  ['surveys', 'formbricks'],
  ['analytics', 'posthog-slim'],
  ['analytics', 'segment'],
  ['everything', 'posthog-surveys'],
]
