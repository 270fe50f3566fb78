import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'
import { bundleApp, openBundledApp, packages } from '../../../test/npm-bundle'
import { exampleFlows } from '../../sdk/src/experiences/checklist/example.fixture'

// The npm form as README's sample has it, in a module vite's hot reload runs again with no
// dispose: `createLinger` hands back the running client and `mountWidgets` mounts on it again.
const suite = useBrowserSuite({ pageErrors: 'each' })
const ENTRY = `
import { createLinger } from ${packages.sdk}
import { mountWidgets } from ${packages.widgets}
window.appModule = () => {
  const linger = createLinger(window.lingerOptions)
  mountWidgets(linger)
  return linger
}
window.linger = window.appModule()
// Another component of the app (an editor panel) that mounts the widgets too, and its unmount.
window.editorPanel = () => mountWidgets(window.linger)
window.linger.identify('u_42')
window.linger.track('Signed In')`

const files: Record<string, string> = {}
beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))

const openApp = async (path: string) =>
  (await openBundledApp(suite, files, path, { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows: { version: 1, ...exampleFlows } })).page

describe('the app module run again by a hot reload without dispose', () => {
  it('shows one checklist launcher, not two, and it still opens', async () => {
    const page = await openApp('/hmr')
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await launcher.waitFor()
    // The developer saves a file: the module runs again.
    expect(await page.evaluate(() => (window as any).appModule() === (window as any).linger)).toBe(true)
    await page.evaluate(() => (window as any).linger.flush())
    await expect.poll(() => launcher.count()).toBe(1)
    expect(await page.evaluate(() => document.querySelectorAll('linger-checklist').length)).toBe(1)
    await launcher.click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(1)
  })
})

describe('two components of the app that each mount the widgets', () => {
  it('the user closes the one mounted later, and the checklist stays and still opens', async () => {
    const page = await openApp('/panels')
    const launcher = page.getByRole('button', { name: /tasks done/ })
    await launcher.waitFor()
    // The editor panel opens (its mount), then the user closes it (its unmount).
    await page.evaluate(() => (window as any).editorPanel()())
    await page.evaluate(() => (window as any).linger.flush())
    expect(await launcher.count()).toBe(1)
    await launcher.click()
    await page.getByRole('region', { name: 'Get started with Acme Projects' }).waitFor()
    expect(await page.getByRole('region', { name: 'Get started with Acme Projects' }).count()).toBe(1)
  })
})
