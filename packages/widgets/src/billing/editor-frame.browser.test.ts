import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { bundleApp, packages } from '../../../../test/npm-bundle'

// The npm form (`createLinger`, `mountWidgets`): the script-tag runtime has no destroy(). Bundled
// from the sources for the page, as mount.destroy.browser.test.ts does.
const suite = useBrowserSuite({ pageErrors: 'each' })
const ENTRY = `
import { createLinger } from ${packages.sdk}
import { mountWidgets } from ${packages.widgets}
const linger = createLinger(window.lingerOptions)
mountWidgets(linger)
linger.identify('u_editor', { plan: 'pro' })
window.linger = linger`

// The listeners put on the editor frame's document, as its DOM holds them (its own realm's EventTarget).
const RECORDER = `
window.record = (win) => {
  const held = (window.frameListeners = [])
  const proto = win.EventTarget.prototype
  const add = proto.addEventListener
  const remove = proto.removeEventListener
  const capture = (o) => !!(typeof o == 'object' ? o && o.capture : o)
  const at = (t, f, o) => held.findIndex((l) => l[0] === t && l[1] === f && l[2] === capture(o))
  proto.addEventListener = function (t, f, o) {
    if (this === win.document && at(t, f, o) < 0) held.push([t, f, capture(o)])
    return add.call(this, t, f, o)
  }
  proto.removeEventListener = function (t, f, o) {
    const i = this === win.document ? at(t, f, o) : -1
    if (i >= 0) held.splice(i, 1)
    return remove.call(this, t, f, o)
  }
}`

const files: Record<string, string> = {}
beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))

/** A user past due meets the wall while writing in the page's own rich editor (a same-origin frame): they pause, it comes. */
async function wallMetInEditor(path: string, record: boolean) {
  for (const [name, body] of Object.entries(files)) suite.site.files[`/${name}`] = { body, type: 'text/javascript' }
  const billing = { paymentPrompt: { id: 'card-failed', title: 'Your last payment failed', action: 'Update card', wallAfterDays: 7 } }
  const options = { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows: { version: 1, billing }, handlers: {} }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reply</title>
<script>${RECORDER}</script><script>window.lingerOptions = ${JSON.stringify(options)}; window.lingerOptions.handlers.onUpdatePayment = () => {}</script><script type="module" src="/app.js"></script></head>
<body><main><iframe title="Reply" srcdoc="<body contenteditable></body>"></iframe></main></body></html>`
  const { page } = await suite.open(path, { html })
  await page.waitForFunction(() => !!(window as any).linger)
  await page.frameLocator('iframe').locator('body').focus()
  if (record) await page.evaluate(() => (window as any).record(document.querySelector('iframe')!.contentWindow))
  await page.keyboard.type('Thanks for')
  const pastDueSince = new Date(Date.now() - 9 * 86_400_000).toISOString()
  await page.evaluate((since) => (window as any).linger.identify('u_editor', { plan: 'pro', paymentStatus: 'past_due', pastDueSince: since }), pastDueSince)
  // They pause: the wall comes, having waited on their keys in the editor.
  await expect.poll(() => page.locator('linger-billing-modal [role="alertdialog"]').count(), { timeout: 10_000 }).toBe(1)
  return page
}

describe("the failed-payment wall, met while writing in the page's own rich editor (a same-origin frame), then Linger shut down (the app signs the user out: linger.destroy())", () => {
  it("leaves nothing of Linger listening in the editor's frame: what is typed there next reaches no stopped Linger", async () => {
    const page = await wallMetInEditor('/editor-destroyed', true)
    const listening = () => page.evaluate(() => (window as any).frameListeners.map((l: unknown[]) => l[0]).sort())
    expect(await listening()).toEqual(['input', 'keydown', 'linger-heard'])
    await page.evaluate(() => (window as any).linger.destroy())
    await expect.poll(listening).toEqual([])
  })
})

describe("the failed-payment wall, met while writing in the page's own rich editor, then the app closes the editor (its frame removed) and Linger runs on", () => {
  it("holds nothing of the closed editor: its document can be let go, as the page's own memory would have it", async () => {
    const page = await wallMetInEditor('/editor-closed', false)
    await page.evaluate(() => {
      const frame = document.querySelector('iframe')!
      ;(window as any).closedEditor = new WeakRef(frame.contentDocument!)
      frame.remove()
    })
    const cdp = await page.context().newCDPSession(page)
    const collected = async () => (await cdp.send('HeapProfiler.collectGarbage'), page.evaluate(() => (window as any).closedEditor.deref() === undefined))
    await expect.poll(collected).toBe(true)
  })
})
