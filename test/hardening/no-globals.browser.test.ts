import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Linger adds one name to the page, `window.linger`. Libraries it bundles keep their state on
// `globalThis` (nanostores, zod): a host that uses them too would share (and could change) it.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

const flows = {
  version: 1,
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
  checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'a', title: 'Do a thing', doneWhen: { event: 'Thing Done' } }] }],
}

describe('the page keeps its global scope', () => {
  it('with every part of Linger loaded (flows validated, a survey and a checklist on screen), the only new global is linger', async () => {
    const names = 'window.__names = () => Object.getOwnPropertyNames(window);'
    // The same page without the snippet.
    const { page: bare } = await suite.open('/bare', { html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><script>${names}</script></head><body></body></html>`, headers: {} })
    const baseline: string[] = await bare.evaluate(() => (window as any).__names())

    const script = `${names} ${suite.initScript({ flows })} linger.on('ready', () => linger.track('Asked'));`
    const { page } = await suite.open('/linger', suite.hostPage({ script }))
    await page.waitForFunction(() => !!document.querySelector('linger-survey')?.shadowRoot?.querySelector('[role="dialog"], form, fieldset'))
    await page.waitForFunction(() => !!document.querySelector('linger-checklist'))
    const added = ((await page.evaluate(() => (window as any).__names())) as string[]).filter((n) => !baseline.includes(n))
    expect(added.sort()).toEqual(['linger'])
    expect(await page.evaluate(() => ['nanostoresGlobal', '__zod_globalConfig'].filter((n) => n in globalThis))).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })
})
