import type { BrowserContext, Page } from 'playwright-core'
import { beforeEach, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'

// Host pages that broke the platform before Linger arrived (old libraries, bad polyfills) or
// break it while Linger runs. Linger keeps tracking, sends correct JSON, throws nothing.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()
beforeEach(() => {
  suite.collector.setResponder(() => ({ status: 200 }))
  suite.pageErrors.length = 0
})

let n = 0
/** A page whose `before` script runs ahead of everything (as a library loaded first would). */
async function openHost(before: string, opts: { init?: Record<string, unknown> } = {}) {
  const context: BrowserContext = await suite.browser.newContext()
  await context.addInitScript(before)
  const path = `/hostile-${++n}`
  const script = `window.__errors = []; ${suite.initScript({ autocapture: false, ...opts.init })} linger.on('error', (e) => __errors.push({ code: e.code, message: e.message })); linger.on('ready', () => (window.lingerReady = true));`
  const { page } = await suite.open(path, suite.hostPage({ script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return { page, path, context }
}

const track = (page: Page, event: string, properties?: unknown) => page.evaluate(([e, p]) => (window as any).linger.track(e, p), [event, properties] as const)
const errors = (page: Page): Promise<Array<{ code: string; message: string }>> => page.evaluate(() => (window as any).__errors)
const arrivedOn = (path: string, name: string, timeoutMs = 20_000) => suite.collector.waitFor((es) => es.some((e) => e.event === name && e.context.page.path === path), timeoutMs).then((es) => es.filter((e) => e.event === name && e.context.page.path === path))

const PROPS = { tags: ['a', 'b'], nested: { list: [1, 2, { deep: true }] }, count: 3 }

describe('a host that broke built-ins before Linger loaded', () => {
  // Found here: the batch body went through the page's JSON, so the collector got
  // "[object Object]", answered 200, and the events were gone. Everything Linger stores or sends
  // now goes through packages/sdk/src/json.ts (JSON as loaded, page-added toJSON ignored).
  it('Prototype.js-style Array.prototype.toJSON and Object.prototype.toJSON: events still arrive as correct JSON', async () => {
    const { page, path } = await openHost(`
      // Prototype.js 1.6: arrays serialise themselves to a string, so JSON.stringify double-encodes them.
      Object.defineProperty(Array.prototype, 'toJSON', { value: function () { return '[' + Array.prototype.join.call(this, ',') + ']' }, writable: true, configurable: true });
      // A library that "helps" every object serialise itself.
      Object.defineProperty(Object.prototype, 'toJSON', { value: function () { return Object.prototype.toString.call(this) }, writable: true, configurable: true });`)
    await track(page, 'Shaped', PROPS)
    const [event] = await arrivedOn(path, 'Shaped', 8000)
    expect(event.properties).toEqual(PROPS)
    expect(event.context.library).toEqual({ name: 'linger', version: expect.any(String) })
    expect(await errors(page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  // Found here: zod 4 walks schema shapes with for...in, so an enumerable Object.prototype
  // method stopped every experience. config/plain-prototypes.ts hides such additions from zod
  // during its synchronous work and restores them, unseen by the page.
  it('enumerable Array/Object prototype additions, Prototype-style map/forEach, indexOf-based includes', async () => {
    const { page, path } = await openHost(`
      Array.prototype.each = function (fn) { for (var i = 0; i < this.length; i++) fn(this[i]) };
      Object.prototype.extend = function (o) { for (var k in o) this[k] = o[k]; return this };
      var map = Array.prototype.map, forEach = Array.prototype.forEach;
      // Prototype.js-era versions: (value, index) only, holes visited, thisArg as a context.
      Array.prototype.map = function (fn, ctx) { var out = []; for (var i = 0; i < this.length; i++) out.push(fn.call(ctx, this[i], i)); return out };
      Array.prototype.forEach = function (fn, ctx) { for (var i = 0; i < this.length; i++) fn.call(ctx, this[i], i) };
      Array.prototype.includes = function (x) { return this.indexOf(x) !== -1 };`)
    await track(page, 'Enumerated', PROPS)
    const [event] = await arrivedOn(path, 'Enumerated')
    expect(event.properties).toEqual(PROPS)
    expect(await errors(page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  // Found here: Prototype.js 1.7 makes Array.from its $A, which ignores a map function (and takes
  // an object's own toArray): an `all` audience threw and never showed, and the NPS scale had no
  // scores to pick, both end labels reading "Extremely likely".
  it('Prototype.js 1.7 Array.from ($A): an NPS survey with an `all` audience shows to the user it names, with its 11 scores', async () => {
    const nps = { id: 'pulse', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Report Exported' }, audience: { all: [{ trait: 'plan', eq: 'pro' }, { trait: 'seats', gte: 2 }] } }
    const { page } = await openHost(
      `
      Array.prototype.toArray = function () { return Array.prototype.slice.call(this) };
      String.prototype.toArray = function () { return this.split('') };
      Array.from = function $A(iterable) {
        if (!iterable) return [];
        if ('toArray' in Object(iterable)) return iterable.toArray();
        var length = iterable.length || 0, results = new Array(length);
        while (length--) results[length] = iterable[length];
        return results;
      };`,
      { init: { flows: { version: 1, surveys: [nps] } } },
    )
    await page.evaluate(() => {
      ;(window as any).linger.identify('u_proto', { plan: 'pro', seats: 3 })
      ;(window as any).linger.track('Report Exported')
    })
    const scores = page.locator('linger-survey [role="dialog"] [role="radio"]')
    await expect.poll(() => scores.count(), { timeout: 10_000 }).toBe(11)
    expect(await scores.allTextContents()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    expect((await errors(page)).filter((e) => e.code !== 'invalid-config')).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })

  it('a fetch polyfill that throws or returns garbage: nothing is thrown into the page, events wait in the outbox', async () => {
    const { page } = await openHost(`window.fetch = function () { if (Math.random() < 0.5) throw new TypeError('polyfill: not supported'); return Promise.resolve({ ok: true, status: 'garbage', headers: null }) };`)
    await track(page, 'No Fetch', PROPS)
    await page.waitForTimeout(1500)
    expect(suite.pageErrors).toEqual([])
    expect((await errors(page)).filter((e) => e.code === 'internal')).toEqual([])
  })

  it('a Promise.prototype.then wrapper (zone-style): events still arrive', async () => {
    const { page, path } = await openHost(`
      var then = Promise.prototype.then;
      Promise.prototype.then = function (a, b) { window.__thens = (window.__thens || 0) + 1; return then.call(this, a && function (v) { return a(v) }, b && function (e) { return b(e) }) };`)
    await track(page, 'Zoned', PROPS)
    const [event] = await arrivedOn(path, 'Zoned')
    expect(event.properties).toEqual(PROPS)
    expect(await errors(page)).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })
})

describe('a host that breaks built-ins while Linger runs', () => {
  // Found here: enqueue() checked each event with the page's JSON.stringify, which now throws,
  // and dropped every event as 'invalid-event'.
  it('JSON.stringify/JSON.parse and fetch replaced with broken ones after load: events still arrive as correct JSON', async () => {
    const { page, path } = await openHost('')
    await page.evaluate(() => {
      JSON.stringify = () => {
        throw new Error('json: blocked by a broken polyfill')
      }
      JSON.parse = () => null
      window.fetch = () => Promise.reject(new TypeError('fetch: replaced'))
    })
    await track(page, 'After Break', PROPS)
    const [event] = await arrivedOn(path, 'After Break', 8000)
    expect(event.properties).toEqual(PROPS)
    expect((await errors(page)).filter((e) => e.code !== 'invalid-properties')).toEqual([])
    expect(suite.pageErrors).toEqual([])
  })
})

describe('storage, clock and size trouble', () => {
  it('localStorage whose getter throws: tracked and delivered from memory', async () => {
    const { page, path } = await openHost(`Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError') } });`)
    await track(page, 'No Storage', PROPS)
    const [event] = await arrivedOn(path, 'No Storage')
    expect(event.properties).toEqual(PROPS)
    expect(suite.pageErrors).toEqual([])
  })

  it('localStorage.setItem that always throws QuotaExceededError: tracked and delivered', async () => {
    const { page, path } = await openHost(`Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError') };`)
    for (let i = 0; i < 5; i++) await track(page, `Quota ${i}`, PROPS)
    for (let i = 0; i < 5; i++) expect(await arrivedOn(path, `Quota ${i}`)).toHaveLength(1)
    expect(suite.pageErrors).toEqual([])
  })

  // Found here: an event queued before the jump was due at queuedAt + flushIntervalMs, a day in
  // the new clock's future; outbox.ts dueAt() now counts from min(queuedAt, now).
  it('a clock that jumps a day backwards mid-session: events tracked before and after the jump arrive', async () => {
    const { page, path } = await openHost('', { init: { flushIntervalMs: 300 } })
    await page.evaluate(() => {
      ;(window as any).linger.track('Before Jump')
      const real = Date.now
      Date.now = () => real() - 24 * 3600_000
    })
    const [before] = await arrivedOn(path, 'Before Jump', 8000)
    await track(page, 'After Jump')
    const [after] = await arrivedOn(path, 'After Jump')
    expect(before.messageId).not.toBe(after.messageId)
    expect(suite.pageErrors).toEqual([])
  })

  it('properties over the 32 KB cap: delivered with the big values truncated and named, and reported', async () => {
    const { page, path } = await openHost('')
    await track(page, 'Huge', { blob: 'x'.repeat(40_000), other: 'y'.repeat(20_000), keep: 'small', n: 1 })
    const [event] = await arrivedOn(path, 'Huge')
    expect(event.properties.keep).toBe('small')
    expect(event.properties.n).toBe(1)
    expect(event.properties.blob).toBe('[truncated]')
    expect(event.properties.lingerTruncated).toContain('blob')
    expect(JSON.stringify(event.properties).length).toBeLessThanOrEqual(32 * 1024)
    const reported = await errors(page)
    expect(reported.some((e) => e.code === 'invalid-properties' && /blob/.test(e.message))).toBe(true)
    expect(suite.pageErrors).toEqual([])
  })
})
