import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'
import { bundleApp, openBundledApp, packages } from '../../../test/npm-bundle'

// The npm form, with the widgets mounted by the app's root component: vite's hot reload (or a
// framework remounting the root) unmounts them, then mounts them again a moment later, on the
// same running client.
const suite = useBrowserSuite({ pageErrors: 'each' })
const ENTRY = `
import { createLinger } from ${packages.sdk}
import { mountWidgets } from ${packages.widgets}
const linger = createLinger(window.lingerOptions)
window.unmountWidgets = mountWidgets(linger)
window.remount = () => {
  window.unmountWidgets()
  setTimeout(() => (window.unmountWidgets = mountWidgets(linger)))
}
// React StrictMode, on the root remounted: its effect, the effect's cleanup, the effect again.
window.strictRemount = () => {
  window.unmountWidgets()
  mountWidgets(linger)()
  window.unmountWidgets = mountWidgets(linger)
}
window.linger = linger`

// A centred survey: a modal that takes focus, so it waits for a pause in the user's typing.
const flows = {
  version: 1,
  surveys: [{ id: 'csat-export', kind: 'csat', question: 'How satisfied are you with exporting reports?', scale: 5, trigger: { event: 'Report Exported' }, repeat: 'once', placement: 'center' }],
}

const files: Record<string, string> = {}
beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))

describe('the widgets remounted while a survey waits for the user to stop typing', () => {
  it('shows the survey in the new mount once they pause, once, and counts it shown once', async () => {
    const { page } = await openBundledApp(suite, files, '/remount', { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows }, { body: '<main><h1>Acme</h1><label>Search <input id="search"></label></main>' })
    await page.evaluate(() => (window as any).linger.ready)
    await page.evaluate(() => (window as any).linger.identify('remount-typist'))
    await page.click('#search')
    await page.keyboard.type('roadmap')
    await page.evaluate(() => (window as any).linger.track('Report Exported'))
    // The widgets' screen is in, and has the survey waiting for the pause.
    await page.waitForFunction(() => typeof (window as any).linger.host.screen?.hold === 'function')
    expect(await page.evaluate(() => (window as any).linger.why('csat-export').reasons)).toEqual(['waiting-for-calm'])
    // The developer saves a file: the widgets unmount and mount again, the user still typing.
    await page.evaluate(() => (window as any).remount())
    await page.keyboard.type(' q3')
    // They pause: the survey comes, in the widgets now mounted.
    const dialog = page.getByRole('dialog').filter({ hasText: 'How satisfied are you with exporting reports?' })
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(1)
    expect(await page.inputValue('#search')).toBe('roadmap q3')
    await page.evaluate(() => (window as any).linger.flush())
    const shown = () => suite.collector.delivered().filter((e) => e.event === 'Survey Shown' && e.userId === 'remount-typist')
    await expect.poll(() => shown().length).toBe(1)
    expect(await page.evaluate(() => document.querySelectorAll('linger-survey-modal').length)).toBe(1)
  })

  it('remounted under React StrictMode (mounted, unmounted, mounted again at once), the survey still waits for their pause: nothing typed lands in it', async () => {
    const { page } = await openBundledApp(suite, files, '/strict', { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows }, { body: '<main><h1>Acme</h1><label>Search <input id="search"></label></main>' })
    await page.evaluate(() => (window as any).linger.ready)
    await page.evaluate(() => (window as any).linger.identify('strict-typist'))
    await page.click('#search')
    await page.keyboard.type('roadmap')
    await page.evaluate(() => (window as any).linger.track('Report Exported'))
    await page.waitForFunction(() => typeof (window as any).linger.host.screen?.hold === 'function')
    await page.evaluate(() => (window as any).strictRemount())
    // The widgets that stay have their screen; the user goes on typing.
    await page.waitForFunction(() => typeof (window as any).linger.host.screen?.hold === 'function')
    await page.keyboard.type(' q3')
    const dialog = page.getByRole('dialog').filter({ hasText: 'How satisfied are you with exporting reports?' })
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(1)
    expect(await page.inputValue('#search')).toBe('roadmap q3')
    await page.evaluate(() => (window as any).linger.flush())
    const shown = () => suite.collector.delivered().filter((e) => e.event === 'Survey Shown' && e.userId === 'strict-typist')
    await expect.poll(() => shown().length).toBe(1)
  })
})
