import { beforeEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { useBrowserSuite } from '../../../test/harness'
import { CDN_DIR } from '../../../test/static-server'

// Delivery as a vendor's collector sees it: a real page, the real runtime, a real HTTP server.
const suite = useBrowserSuite()
beforeEach(() => {
  suite.collector.setResponder(() => ({ status: 200 }))
})

const ids = (events: Array<Record<string, any>>, name: string) => events.filter((e) => e.event === name).map((e) => e.messageId)

describe('events on the wire', () => {
  it('leave in one Segment-compatible batch with the contract headers, within 2 s by default', async () => {
    const init = suite.initScript({ flushIntervalMs: undefined, key: 'pk_wire' })
    const { page } = await suite.open('/wire', suite.hostPage({ script: `${init} linger.track('Project Created', { template: 'kanban' }); linger.track('Task Created');` }))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Task Created' && x.context.page.path === '/wire'), 5000)
    const batch = suite.collector.batches.find((b) => b.body.batch.some((e) => e.event === 'Task Created' && e.context.page.path === '/wire'))!
    expect(batch.path).toBe('/v1/batch')
    expect(batch.headers['content-type']).toBe('application/json')
    expect(batch.headers.authorization).toBe('Basic ' + Buffer.from('pk_wire:').toString('base64'))
    expect(batch.body.writeKey).toBe('pk_wire')
    expect(Date.parse(batch.body.sentAt)).not.toBeNaN()
    // One page view and both tracks travel together.
    expect(batch.body.batch.map((e) => e.event ?? e.type)).toEqual(['page', 'Project Created', 'Task Created'])
    const e = batch.body.batch[1]
    expect(e).toMatchObject({ type: 'track', event: 'Project Created', properties: { template: 'kanban' }, context: { library: { name: 'linger' }, page: { path: '/wire' } } })
    expect(e.anonymousId).toMatch(/^[0-9a-f-]{36}$/)
    expect(e.messageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(typeof e.context.timezone).toBe('string')
    expect(e.context.userAgent).toMatch(/Chrome/)
    await page.close()
  })
})

describe('nothing is lost', () => {
  it('500, 500, 200: delivered once, with the same messageIds on every try', async () => {
    const seen: string[][] = []
    suite.collector.setResponder((_req, body) => {
      const mine = body.batch.filter((e) => e.event === 'Retry Me')
      if (!mine.length) return { status: 200 }
      seen.push(mine.map((e) => e.messageId))
      return { status: seen.length <= 2 ? 500 : 200 }
    })
    await suite.open('/retry', suite.hostPage({ script: `${suite.initScript()} linger.track('Retry Me');` }))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Retry Me'), 20_000)
    expect(seen).toHaveLength(3)
    expect(new Set(seen.flat()).size).toBe(1)
    expect(ids(events, 'Retry Me')).toHaveLength(1)
  })

  it('a 429 with Retry-After is honoured before the next try', async () => {
    const times: number[] = []
    suite.collector.setResponder((_req, body) => {
      if (!body.batch.some((e) => e.event === 'Rate Limited')) return { status: 200 }
      times.push(Date.now())
      return times.length === 1 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200 }
    })
    await suite.open('/429', suite.hostPage({ script: `${suite.initScript()} linger.track('Rate Limited');` }))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Rate Limited'), 20_000)
    expect(times).toHaveLength(2)
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1900)
  })

  it('the collector offline for a while, then back: every event arrives once', async () => {
    let offline = true
    suite.collector.setResponder(() => (offline ? 'reset' : { status: 200 }))
    const { page } = await suite.open('/offline', suite.hostPage({ script: `${suite.initScript()} for (let i = 0; i < 30; i++) linger.track('Offline ' + i);` }))
    await page.waitForTimeout(1500)
    offline = false
    const events = await suite.collector.waitFor((e) => Array.from({ length: 30 }, (_, i) => `Offline ${i}`).every((n) => e.some((x) => x.event === n)), 30_000)
    for (let i = 0; i < 30; i++) expect(ids(events, `Offline ${i}`)).toHaveLength(1)
  })

  it('a reload with unsent events sends them after the reload, under their original messageId', async () => {
    suite.collector.setResponder(() => ({ status: 503 }))
    const { page } = await suite.open('/reload', suite.hostPage({ script: `${suite.initScript()} if (!sessionStorage.done) { sessionStorage.done = 1; linger.track('Before Reload'); }` }))
    await page.waitForTimeout(800)
    expect(ids(suite.collector.delivered(), 'Before Reload')).toEqual([])
    suite.collector.setResponder(() => ({ status: 200 }))
    await page.reload()
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Before Reload'), 20_000)
    await page.waitForTimeout(1000)
    // The unloading page may hand the event to the browser too and cannot learn the answer:
    // any second copy carries the same messageId, so the collector keeps exactly one.
    expect(new Set(ids(suite.collector.delivered(), 'Before Reload')).size).toBe(1)
    expect(events.find((e) => e.event === 'Before Reload')!.context.page.path).toBe('/reload')
  })

  it('an event tracked right before navigating away still arrives (keepalive or beacon)', async () => {
    suite.site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title><p>no linger here</p>' }
    const { page } = await suite.open('/leave', suite.hostPage({ script: `${suite.initScript({ flushIntervalMs: 60000 })}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    // The event stays queued (the next scheduled send is a minute away) as the page leaves.
    // Playwright navigates: a navigation the page starts itself, even a task after an evaluate
    // call, can leave that call unanswered for good.
    await page.evaluate(() => (window as any).linger.track('Clicked Upgrade', { where: 'pricing' }))
    await page.goto(suite.site.url + '/elsewhere')
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Clicked Upgrade'), 10_000)
    expect(events.find((e) => e.event === 'Clicked Upgrade')!.properties).toEqual({ where: 'pricing' })
  })

  it('a page that goes away before the runtime’s start chunk arrived still delivers what it tracked', async () => {
    suite.site.pages['/elsewhere'] = { html: '<!doctype html><title>Elsewhere</title><p>no linger here</p>' }
    // The start chunk (which also carries sending on a schedule) stays on its way: a slow
    // network, or a visitor who bounces in the first few hundred ms. (Held by the server: a
    // Playwright route would intercept the page's unload requests too.)
    const boot = `/linger/chunks/${readdirSync(join(CDN_DIR, 'chunks')).find((f) => /^boot-.*\.js$/.test(f))}`
    suite.site.files[boot] = { body: readFileSync(join(CDN_DIR, boot.slice('/linger/'.length)), 'utf8'), type: 'text/javascript', delayMs: 8000 }
    try {
      const { page } = await suite.open('/bounce', suite.hostPage({ script: `${suite.initScript({ flushIntervalMs: 200 })}` }))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      const started = await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /chunks\/boot-/.test(r.name)))
      await page.evaluate(() => (window as any).linger.track('Bounced', { after: 'pricing' }))
      await page.goto(suite.site.url + '/elsewhere')
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Bounced'), 5000)
      // Still on its way as the page left.
      expect(started).toBe(false)
      expect(events.find((e) => e.event === 'Bounced')!.properties).toEqual({ after: 'pricing' })
      expect(events.filter((e) => e.type === 'page' && e.context.page.path === '/bounce')).toHaveLength(1)
    } finally {
      delete suite.site.files[boot]
    }
  })

  it('a page whose start chunk is blocked (an ad blocker, a deploy that lost it) still sends what it tracks while it stays open', async () => {
    const boot = `/linger/chunks/${readdirSync(join(CDN_DIR, 'chunks')).find((f) => /^boot-.*\.js$/.test(f))}`
    suite.site.files[boot] = { body: 'blocked', status: 404, type: 'text/plain' }
    try {
      const { page } = await suite.open('/blocked', suite.hostPage({ script: `${suite.initScript({ flushIntervalMs: 200 })}` }))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      await page.evaluate(() => (window as any).linger.track('Still Here', { plan: 'pro' }))
      // Not hidden, not left: the queue leaves on its own, every 10 s without the sender.
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Still Here'), 20_000)
      expect(await page.evaluate(() => document.visibilityState)).toBe('visible')
      expect(events.find((e) => e.event === 'Still Here')!.properties).toEqual({ plan: 'pro' })
      expect(events.filter((e) => e.type === 'page' && e.context.page.path === '/blocked')).toHaveLength(1)
    } finally {
      delete suite.site.files[boot]
    }
  })

  it('two tabs of the same site: each event arrives exactly once', async () => {
    const ctx = await suite.browser.newContext()
    const script = `${suite.initScript()} window.fire = (n) => { for (let i = 0; i < n; i++) linger.track('Tab ' + document.title + ' ' + i) }`
    const a = await suite.open('/tabs', suite.hostPage({ script }), ctx)
    const b = await suite.open('/tabs', suite.hostPage({ script }), ctx)
    await a.page.evaluate(() => (document.title = 'A'))
    await b.page.evaluate(() => (document.title = 'B'))
    await Promise.all([a.page.evaluate(() => (window as any).fire(20)), b.page.evaluate(() => (window as any).fire(20))])
    const names = [...Array.from({ length: 20 }, (_, i) => `Tab A ${i}`), ...Array.from({ length: 20 }, (_, i) => `Tab B ${i}`)]
    await suite.collector.waitFor((e) => names.every((n) => e.some((x) => x.event === n)), 20_000)
    await a.page.waitForTimeout(1500)
    // Both tabs stay open, so nothing is uncertain: not even a same-id copy may be sent twice.
    const all = suite.collector.batches.flatMap((x) => x.body.batch).filter((e) => names.includes(e.event))
    expect(all).toHaveLength(40)
    await ctx.close()
  })

  it('two tabs: signing in in one signs in the other, and each event counts once in the user’s usage', async () => {
    const ctx = await suite.browser.newContext()
    const a = await suite.open('/signin', suite.hostPage({ script: suite.initScript() }), ctx)
    const b = await suite.open('/signin', suite.hostPage({ script: suite.initScript() }), ctx)
    await a.page.evaluate(() => [1, 2, 3].forEach(() => (window as any).linger.track('Task Created')))
    await b.page.evaluate(() => (window as any).linger.track('Task Created'))
    // Listening after Linger did: once this has run for the sign-in, Linger's own listener has too.
    await b.page.evaluate(() => window.addEventListener('storage', (e) => e.key === 'linger:identity' && ((window as any).followed = true)))
    // Past the usage write (once a second), so tab B's visitor events are in storage.
    await b.page.waitForTimeout(1300)
    await a.page.evaluate(() => (window as any).linger.identify('u_42'))
    await b.page.waitForFunction(() => (window as any).followed)
    await b.page.evaluate(() => {
      ;(window as any).linger.track('Task Created', { tab: 'B, after the sign-in' })
      ;(window as any).linger.identify('u_42')
    })
    const events = await suite.collector.waitFor((e) => e.some((x) => x.properties?.tab === 'B, after the sign-in'), 10_000)
    expect(events.find((e) => e.properties?.tab === 'B, after the sign-in')!.userId).toBe('u_42')
    await b.page.waitForTimeout(1300)
    const stored = await a.page.evaluate(() => JSON.parse(localStorage.getItem('linger:usage:u:u_42')!).events['Task Created'].count)
    expect(stored).toBe(5)
    await ctx.close()
  })

  it('two tabs whose usage writes cross (each before the other’s reached it) keep every event in the count', async () => {
    const ctx = await suite.browser.newContext()
    // Hiding the page writes the usage profile at once: both tabs hide at the same instant.
    const script = `${suite.initScript()}
      window.race = (n, at) => {
        for (let i = 0; i < n; i++) linger.track('Race')
        setTimeout(() => {
          const flip = (state) => {
            Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
            document.dispatchEvent(new Event('visibilitychange'))
          }
          flip('hidden')
          flip('visible')
        }, at - Date.now())
      }`
    const a = await suite.open('/race', suite.hostPage({ script }), ctx)
    const b = await suite.open('/race', suite.hostPage({ script }), ctx)
    const rounds = 12
    for (let r = 0; r < rounds; r++) {
      const at = Date.now() + 200
      await Promise.all([a.page.evaluate((at) => (window as any).race(3, at), at), b.page.evaluate((at) => (window as any).race(1, at), at)])
      await a.page.waitForTimeout(250)
    }
    const count = (p: typeof a.page) =>
      p.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('linger:usage:'))!
        return JSON.parse(localStorage.getItem(key)!).events.Race.count as number
      })
    await a.page.waitForFunction((n) => Object.keys(localStorage).some((k) => k.startsWith('linger:usage:') && JSON.parse(localStorage.getItem(k)!).events.Race?.count === n), rounds * 4, { timeout: 5000 }).catch(() => {})
    expect(await count(a.page)).toBe(rounds * 4)
    expect(await count(b.page)).toBe(rounds * 4)
    await ctx.close()
  })

  it('a page whose localStorage throws still tracks and delivers, and the host sees no error', async () => {
    const head = `<script nonce="x">Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError') } })</script>`
    const { page } = await suite.open('/nostorage', suite.hostPage({ head, script: `${suite.initScript()} linger.track('No Storage');` }))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'No Storage'))
    expect(await page.evaluate(() => typeof (window as any).linger.track)).toBe('function')
    expect(suite.pageErrors).toEqual([])
  })
})

describe('pages and clicks', () => {
  it('single-page navigation sends a page view per route, without polling', async () => {
    const { page } = await suite.open('/spa', suite.hostPage({ script: suite.initScript() }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    // Two screens the user saw: two tasks (a push and a replace in one go are one screen).
    await page.evaluate(() => history.pushState({}, '', '/spa/projects'))
    await page.evaluate(() => (location.hash = '#/settings'))
    await page.goBack()
    const events = await suite.collector.waitFor((e) => e.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/spa')).length >= 4)
    const urls = events.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/spa')).map((x) => new URL(x.context.page.url).pathname + new URL(x.context.page.url).hash)
    expect(urls).toEqual(['/spa', '/spa/projects', '/spa/projects#/settings', '/spa/projects'])
  })

  it("a router that also calls linger.page() on each route change (as Segment's docs show) sends one page view per screen, not two", async () => {
    const { page } = await suite.open('/routed', suite.hostPage({ script: suite.initScript() }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    for (const path of ['/routed/reports', '/routed/team']) {
      await page.evaluate((p) => {
        history.pushState({}, '', p)
        ;(window as any).linger.page()
      }, path)
    }
    // Later than the watcher's next task: once it is in, any second page view is in before it.
    await page.evaluate(() => setTimeout(() => (window as any).linger.track('Routed Done'), 50))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Routed Done'))
    const paths = events.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/routed')).map((x) => x.context.page.path)
    expect(paths).toEqual(['/routed', '/routed/reports', '/routed/team'])
  })

  it('clicks on marked elements become Feature Used, without reading text or input values', async () => {
    const body = `<button data-linger-feature="export-csv"><span id="inner">Export secret-text</span></button><input id="pw" data-linger-feature="password-box" value="hunter2">`
    const { page } = await suite.open('/clicks', suite.hostPage({ body, script: suite.initScript() }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.click('#inner')
    await page.click('#pw')
    const events = await suite.collector.waitFor((e) => e.filter((x) => x.event === 'Feature Used' && x.context.page.path === '/clicks').length === 2)
    const used = events.filter((x) => x.event === 'Feature Used' && x.context.page.path === '/clicks')
    expect(used.map((e) => e.properties)).toEqual([{ feature: 'export-csv' }, { feature: 'password-box' }])
    expect(JSON.stringify(used)).not.toMatch(/secret-text|hunter2/)
  })

  it('autocapture can be turned off', async () => {
    const { page } = await suite.open('/noclicks', suite.hostPage({ body: '<button data-linger-feature="off-feature">x</button>', script: `${suite.initScript({ autocapture: false })}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.click('button')
    await page.evaluate(() => (window as any).linger.track('Marker After Click'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Marker After Click'))
    expect(events.some((e) => e.properties?.feature === 'off-feature')).toBe(false)
  })
})

describe('bad input never breaks the host', () => {
  it('unknown commands, bad arguments and an invalid flows document are reported, the rest keeps working', async () => {
    suite.site.files['/bad-flows.json'] = {
      body: JSON.stringify({ version: 1, checklists: [{ id: 'ok-list', title: 'Fine', tasks: [{ id: 't1', title: 'T', doneWhen: { event: 'X' } }] }, { id: 'broken', tasks: 'nope' }] }),
    }
    const script = `window.errs = []; ${suite.initScript({ flows: '/bad-flows.json', debug: true })}
      linger('on', 'error', (e) => window.errs.push(e));
      linger('frobnicate', 1); linger.track(); linger.track('', {}); linger.identify(42);
      const cyc = {}; cyc.self = cyc; linger.track('Cyclic', cyc);
      linger.track('Big', { blob: 'x'.repeat(40000) });
      linger.track('After Bad Input');`
    const { page } = await suite.open('/bad', suite.hostPage({ script }))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'After Bad Input'))
    // The flows document is checked when it arrives, which may be after the first batch left.
    await page.waitForFunction(() => (window as any).errs.some((e: { code: string }) => e.code === 'invalid-config'))
    const errs: Array<{ code: string; message: string }> = await page.evaluate(() => (window as any).errs)
    const codes = errs.map((e) => e.code)
    expect(codes).toContain('unknown-command')
    expect(codes.filter((c) => c === 'invalid-call').length).toBeGreaterThanOrEqual(3)
    expect(errs.find((e) => e.code === 'invalid-config')?.message).toMatch(/checklists\[1\]/)
    expect(events.find((e) => e.event === 'Cyclic')!.properties).toEqual({ self: '[Circular]' })
    expect(events.find((e) => e.event === 'Big')!.properties.lingerTruncated).toEqual(['blob'])
    expect(await page.evaluate(() => (window as any).linger.why('ok-list').reasons)).not.toContain('unknown-experience')
    expect(suite.pageErrors).toEqual([])
  })

  it('a flows URL that 404s or returns HTML is reported, tracking still works', async () => {
    suite.site.files['/html-flows.json'] = { body: '<!doctype html><p>login</p>', type: 'text/html' }
    const script = `window.errs = []; ${suite.initScript({ flows: '/html-flows.json' })} linger('on', 'error', (e) => window.errs.push(e.message)); linger.track('Still Tracking');`
    const { page } = await suite.open('/badurl', suite.hostPage({ script }))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Still Tracking'))
    await page.waitForFunction(() => (window as any).errs.length > 0)
    expect((await page.evaluate(() => (window as any).errs)).join(' ')).toMatch(/flows/i)
  })

  it('optOut stops collection and clears the queue; optIn resumes', async () => {
    suite.collector.setResponder(() => ({ status: 503 }))
    const script = `${suite.initScript()} linger.track('Queued Then Cleared'); linger.optOut(); linger.track('While Out'); linger.optIn(); linger.track('Back In');`
    const { page } = await suite.open('/optout', suite.hostPage({ script }))
    await page.waitForTimeout(500)
    suite.collector.setResponder(() => ({ status: 200 }))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Back In'), 20_000)
    expect(events.some((e) => e.event === 'Queued Then Cleared' || e.event === 'While Out')).toBe(false)
  })
})
