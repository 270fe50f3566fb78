import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'
import { bundleApp, openBundledApp, packages } from '../../../test/npm-bundle'
import { exampleFlows } from '../../sdk/src/experiences/checklist/example.fixture'

// The npm form, as README's sample has it: `createLinger` then `mountWidgets(linger)`, the unmount
// it returns not kept. Bundled from the sources for the page (the script-tag runtime has no destroy).
const suite = useBrowserSuite({ pageErrors: 'each' })
const ENTRY = `
import { createLinger } from ${packages.sdk}
import { mountWidgets } from ${packages.widgets}
const linger = createLinger(window.lingerOptions)
mountWidgets(linger)
linger.identify('u_42')
linger.track('Signed In') // as the checklist suite's host page does
window.linger = linger`

const files: Record<string, string> = {}
beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))

const openApp = async (path: string) =>
  (await openBundledApp(suite, files, path, { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows: { version: 1, ...exampleFlows } })).page

describe('linger.destroy() with the widgets mounted as README shows (the unmount not kept)', () => {
  it('takes the checklist off the screen (nothing left to click, to dismiss or to tick, for a stopped Linger), and show() opens nothing', async () => {
    const page = await openApp('/destroy')
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await launcher.waitFor()
    await page.evaluate(() => (window as any).linger.destroy())
    // Gone, as the component that held Linger is.
    await expect.poll(() => launcher.count()).toBe(0)
    expect(await page.evaluate(() => document.querySelectorAll('[data-linger]').length)).toBe(0)
    // The app asks for the list again: a stopped Linger opens nothing.
    expect(await page.evaluate(() => (window as any).linger.show('getting-started'))).toBe(false)
  })
})
