import type { Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './static-server'

// Evaluated through the DevTools protocol rather than a <script>: strict-CSP pages allow no
// inline script, and these tests run on such pages too.
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')

/**
 * axe-core's violations for `selector` (or the whole page), in the form `rule: targets — why`.
 * Waits first for the widgets' entrance animations to settle: contrast is judged on what the
 * user ends up seeing, not on a card halfway through fading in. axe looks inside open shadow
 * roots, so a widget's content is checked.
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  await page.waitForFunction(() =>
    [document, ...[...document.querySelectorAll('[data-linger]')].flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : []))]
      .flatMap((root) => root.getAnimations())
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  )
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (sel) => {
    const context = sel ? document.querySelector(sel) : document
    const result = await (window as any).axe.run(context, { resultTypes: ['violations'] })
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => `${n.target.join(' ')} — ${n.any[0]?.message ?? n.failureSummary ?? ''}`).join(', ')}`)
  }, selector)
}
