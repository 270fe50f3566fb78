import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
// @ts-expect-error plain ESM helpers shared with `npm run size`
import { measure, cdnDir } from './size.mjs'
// @ts-expect-error plain ESM helpers shared with `npm run size`
import { budgets } from './budgets.mjs'

type Row = { name: string; bytes: number; budget?: number; files: string[] }
const rows: Row[] = measure()

describe('bundle budgets (gzip bytes, built by `npm test` before this runs)', () => {
  it('measures every budgeted entry, and budgets every entry it measures', () => {
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(budgets).sort())
  })
  for (const name of Object.keys(budgets)) {
    it(`${name} stays within ${budgets[name]} B`, () => {
      const row = rows.find((r) => r.name === name)
      expect(row, `${name} was not built`).toBeDefined()
      expect(row!.bytes).toBeLessThanOrEqual(budgets[name])
    })
  }
  it('keeps widget UI, zod, the experiences, adoption and scheduled sending out of the eager runtime', () => {
    const read = (row: Row) => row.files.map((f) => readFileSync(join(cdnDir(), f), 'utf8')).join('\n')
    const eager = read(rows.find((r) => r.name.startsWith('linger.js'))!)
    // Strings that survive minification, each proven present in the chunk it belongs to, so
    // this cannot pass just because a marker went stale.
    const markers: Array<[string, string]> = [
      ['adoptedStyleSheets', 'widgets platform'],
      ['name:`flip`', 'tours UI'],
      ['Invalid input', 'flows validation (zod; a document not seen before)'],
      ['Checklist Task Completed', 'engine and experience controllers (flows with something to show)'],
      ['Survey Answered', 'engine and experience controllers (flows with something to show)'],
      ['Cancel Offer Accepted', 'engine and experience controllers (flows with something to show)'],
      ['linger:lease:', 'adopting a gone tab’s outbox (when another tab’s is in storage)'],
      // Sending on a schedule, and the outbox's compact form, load with start.
      ['delivery: adopt: ', 'start (flows loading, options check, scheduled sending)'],
      // The worker's program, only for vendors who ask for it.
      ['postMessage(r)', 'sending from a worker (`sendFromWorker: true`)'],
      ['"v":2', 'start (flows loading, options check, scheduled sending)'],
    ]
    for (const [marker, home] of markers) {
      expect(read(rows.find((r) => r.name === home)!).includes(marker), `${marker} not found in ${home}`).toBe(true)
      expect(eager.includes(marker), `${marker} found in the eager runtime`).toBe(false)
    }
  })
  it('fetches what every widget view shares (Preact and the platform\'s helpers) as one file, and each UI as one more', () => {
    // Each file is gzipped on its own and imports the others' exports by name: a file each for
    // Preact, the error boundary, the store hook and the link check cost a page ~200 B more.
    const files = (name: string) => rows.find((r) => r.name === name)!.files.map((f) => f.replace(/-[\w-]{6}\.js$/, ''))
    expect(files('widgets platform').sort()).toEqual(['chunks/create-context', 'chunks/en', 'chunks/focus', 'chunks/platform'])
    // What a UI adds is its own file (and the notice that announcements and billing share).
    for (const ui of rows.filter((r) => r.name.endsWith(' UI')).map((r) => r.name)) {
      expect(files(ui).filter((f) => !/\/messages-en$/.test(f)), ui).toHaveLength(1)
    }
  })
  it('builds no module\'s namespace object at run time: the start chunk every page loads before ready carried one', () => {
    // A module taken as a value (`import('./boot').then((m) => m)`) has the bundler make its
    // namespace in the page: a getter per export and the helper that defines them (~120 B gzip).
    for (const file of new Set(rows.filter((r) => r.name !== 'snippet').flatMap((r) => r.files))) {
      expect(readFileSync(join(cdnDir(), file), 'utf8').includes('toStringTag,{value:`Module`}'), file).toBe(false)
    }
  })
  it('has V8 compile the code a first load runs before ready as it streams in, and not the code a page uses a part of', () => {
    const HINT = '//# allFunctionsCalledOnLoad'
    const head = (row: string) => readFileSync(join(cdnDir(), rows.find((r) => r.name.startsWith(row))!.files[0]), 'utf8').slice(0, HINT.length)
    for (const row of ['linger.js', 'start', 'flows validation', 'badges UI', 'tours UI']) expect(head(row), row).toBe(HINT)
    // The widgets platform's surfaces and focus helpers run in every first render: compiled when
    // prefetched at idle, not inside the render after a trigger.
    const platform = rows.find((r) => r.name === 'widgets platform')!.files.filter((f) => /chunks\/(create-context|focus)-/.test(f))
    expect(platform).toHaveLength(2)
    for (const f of platform) expect(readFileSync(join(cdnDir(), f), 'utf8').slice(0, HINT.length), f).toBe(HINT)
    expect(head('engine'), 'engine').not.toBe(HINT)
  })
})
