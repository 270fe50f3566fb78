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
  it('keeps the widgets UI out of the eager runtime', () => {
    const eager = rows.find((r) => r.name.startsWith('linger.js'))!
    const code = eager.files.map((f) => readFileSync(join(cdnDir(), f), 'utf8')).join('\n')
    // Preact's and floating-ui's signatures: neither may load before a widget is needed.
    for (const marker of ['__PREACT_DEVTOOLS__', 'computePosition', 'adoptedStyleSheets']) {
      expect(code.includes(marker), `${marker} found in the eager runtime`).toBe(false)
    }
  })
})
