import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM, shared with `npm run size`
import { budgets } from '../scripts/budgets.mjs'
import { validateFlows } from '../packages/sdk/src/config/validate-flows'
import { vendorTypecheck as typecheck } from '../test/vendor-typecheck'

// The README is a vendor's first hour: what it prints, they copy; what it quotes, they plan by.
const repo = resolve(__dirname, '..')
const readme = readFileSync(join(repo, 'README.md'), 'utf8')

/** The first fenced block of `lang` after `heading`, as printed. */
function snippet(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(heading))
  const open = section.indexOf('```' + lang + '\n')
  expect(open, `no ${lang} block under ${heading}`).toBeGreaterThanOrEqual(0)
  const start = open + lang.length + 4
  return section.slice(start, section.indexOf('\n```', start) + 1)
}

describe('the README, followed literally', () => {
  it('its "Install from npm" example compiles as printed, pasted into a new TypeScript file', () => {
    expect(typecheck(snippet('## Install from npm', 'ts'), { module: 'NodeNext', moduleResolution: 'NodeNext' })).toBe('')
  }, 60_000)

  // Each size the README quotes, by the chunk it names: within 5% of what the budget lets that
  // chunk weigh (npm test keeps every chunk within its budget, and they sit close to it).
  const quoted: Array<[string, RegExp, string]> = [
    ['the engine, in "What your page pays"', /experience controllers of every kind \(one ~([\d.]+) KB chunk/, 'engine and experience controllers (flows with something to show)'],
    ['validation, in "What your page pays"', /skips validation and its ~([\d.]+) KB chunk/, 'flows validation (zod; a document not seen before)'],
    ['validation, in "Before it ships"', /does not load the validation chunk \(~([\d.]+) KB gzip\)/, 'flows validation (zod; a document not seen before)'],
    ['the sync chunk, in "What your page pays"', /the sync chunk \(about ([\d.]+) KB gzip/, 'state sync (verified users)'],
  ]
  for (const [where, sentence, chunk] of quoted) {
    it(`quotes the size of ${where} as the chunk weighs`, () => {
      const match = readme.match(sentence)
      expect(match, `the README no longer says ${sentence}`).not.toBeNull()
      const budget = budgets[chunk] / 1024
      expect(Math.abs(Number(match![1]) - budget) / budget, `README: ${match![1]} KB; budget: ${budget.toFixed(2)} KB`).toBeLessThanOrEqual(0.05)
    })
  }

  // show(id) and why(id) find an experience by id: one that shares a survey's id is skipped. The
  // README's list is where a vendor learns which of their ids must differ.
  it('names every kind of experience whose id must differ from the others', () => {
    const example = readFileSync(join(repo, 'examples/flows.json'), 'utf8')
    const taken = 'nps-quarterly'
    const kinds: Array<[string, (f: any) => void]> = [
      ['checklists', (f) => (f.checklists[0].id = taken)],
      ['tours', (f) => (f.tours[0].id = taken)],
      ['value reviews', (f) => (f.valueReviews[0].id = taken)],
      ['announcements', (f) => (f.announcements[0].id = taken)],
      ['billing prompts', (f) => (f.billing.paymentPrompt.id = taken)],
      ['the cancel flow', (f) => (f.cancelFlow.id = taken)],
      ['pause offers', (f) => (f.cancelFlow.offers.find((o: { kind: string }) => o.kind === 'pause').id = taken)],
    ]
    const rule = readme.slice(readme.indexOf('Experience ids are unique across'), readme.indexOf('since `show(id)`'))
    for (const [kind, clash] of kinds) {
      const flows = JSON.parse(example)
      clash(flows)
      expect(validateFlows(flows).errors.map((e) => e.message).join('\n'), kind).toContain(taken)
      expect(rule, `the README's list of ids that share one namespace leaves out ${kind}`).toContain(kind)
    }
  })

  it('sends a reader to sections of bench/RESULTS.md that are there', () => {
    const results = readFileSync(join(repo, 'bench/RESULTS.md'), 'utf8')
    const headings = [...results.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!)
    const named = [...readme.matchAll(/bench\/RESULTS\.md, "([^"]+)"/g)].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter((name) => !headings.some((h) => h.startsWith(name)))).toEqual([])
  })

  it('quotes what a request costs the page with and without sendFromWorker as the latest measurement does (docs/architecture.md)', () => {
    const architecture = readFileSync(join(repo, 'docs/architecture.md'), 'utf8')
    const measured = architecture.match(/a message \(([\d.]+)–([\d.]+) ms[^)]*\) instead of ([\d.]+)–([\d.]+) ms per `fetch\(\)`/)
    const quoted = readme.match(/each request costs your page's main thread ([\d.]+)–([\d.]+) ms instead of ([\d.]+)–([\d.]+) ms/)
    expect(measured, 'docs/architecture.md no longer gives the figures').not.toBeNull()
    expect(quoted, 'the README no longer gives the figures').not.toBeNull()
    expect(quoted!.slice(1)).toEqual(measured!.slice(1))
  })
})
