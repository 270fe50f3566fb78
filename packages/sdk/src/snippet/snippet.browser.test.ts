import { describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import { useBrowserSuite } from '../../../../test/harness'
import { readSnippet } from '../../../../test/static-server'

const suite = useBrowserSuite()

describe('the vendor snippet', () => {
  it('is what a vendor pastes: one script tag, runtime at /linger/linger.js, under 1 KB gzip', async () => {
    const html = await readSnippet()
    expect(html.trim()).toMatch(/^<script>.*<\/script>$/s)
    expect(html).toContain('/linger/linger.js')
    expect(html).not.toContain("'init'," /* the vendor's own script calls init */)
    expect(gzipSync(html).length).toBeLessThanOrEqual(1024)
  })

  it('calls made before the runtime loads arrive in order, with the time and page they were made on', async () => {
    suite.site.setRuntimeDelay(1500)
    const script = `${suite.initScript()}
      linger('identify', 'u_42', { plan: 'pro' }, { userHash: 'abc123' });
      window.t1 = Date.now(); linger.track('Project Created', { template: 'kanban' });
      history.pushState({}, '', '/second?x=1'); document.title = 'Second';
      window.t2 = Date.now(); linger('track', 'Task Created');`
    const { page } = await suite.open('/early', suite.hostPage({ script }))
    const [t1, t2] = await page.evaluate(() => [(window as any).t1, (window as any).t2])
    const events = await suite.collector.waitFor((e) => e.some((x) => x.type === 'page' && x.context.page.path === '/second'))
    suite.site.setRuntimeDelay(0)
    const mine = events.filter((e) => e.context.page.path === '/early' || e.context.page.path === '/second')
    // Last, a page view for where the app moved to while the runtime loaded.
    expect(mine.map((e) => e.type + ':' + (e.event ?? e.name ?? '') + ':' + e.context.page.path)).toEqual([
      'identify::/early',
      'page::/early',
      'track:Project Created:/early',
      'track:Task Created:/second',
      'page::/second',
    ])
    const created = mine[2]
    const task = mine[3]
    // Timestamps are the moment of the call (the runtime was held back 1.5 s).
    expect(Math.abs(Date.parse(created.timestamp) - t1)).toBeLessThan(50)
    expect(Math.abs(Date.parse(task.timestamp) - t2)).toBeLessThan(50)
    expect(created.context.page.path).toBe('/early')
    expect(task.context.page).toMatchObject({ path: '/second', search: '?x=1', title: 'Second' })
    expect(created).toMatchObject({ userId: 'u_42', properties: { template: 'kanban' }, context: { userHash: 'abc123' } })
    // The page the user landed on is theirs: the identify made right after init names who landed.
    expect(mine[1]).toMatchObject({ type: 'page', userId: 'u_42', context: { userHash: 'abc123' } })
  })

  it('a host that awaits flush() before navigating, while the runtime is still loading, gets a promise settled once the collector has its events', async () => {
    suite.site.setRuntimeDelay(1500)
    try {
      // The batch interval is a minute: only the flush can send the event in time.
      const script = `${suite.initScript({ flushIntervalMs: 60_000 })}
        linger.track('Checkout Started');
        linger.flush().then(function () { window.flushed = true });`
      const { page } = await suite.open('/checkout', suite.hostPage({ script }))
      await page.waitForFunction(() => (window as any).flushed === true)
      const mine = suite.collector.delivered().filter((e) => e.context.page.path === '/checkout')
      expect(mine.map((e) => e.event ?? e.type)).toEqual(['page', 'Checkout Started'])
      expect(suite.pageErrors).toEqual([])
    } finally {
      suite.site.setRuntimeDelay(0)
    }
  })

  it('both call styles work after load, and including the snippet twice does no harm', async () => {
    const snippet = await readSnippet()
    const page0 = await suite.hostPage({ script: suite.initScript(), head: '' })
    const html = page0.html.replace('</head>', `${snippet}</head>`)
    const { page } = await suite.open('/twice', { html })
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => {
      ;(window as any).linger('track', 'Style A')
      ;(window as any).linger.track('Style B')
    })
    const events = await suite.collector.waitFor((e) => e.filter((x) => x.event === 'Style B').length === 1)
    expect(events.filter((e) => e.event === 'Style A')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'page' && e.context.page.path === '/twice')).toHaveLength(1)
    const scripts = await page.evaluate(() => [...document.scripts].filter((s) => s.src.endsWith('/linger/linger.js')).length)
    expect(scripts).toBe(1)
    expect(suite.pageErrors).toEqual([])
  })

  it('with `sendFromWorker: true` its batches leave from a worker, and the page’s fetch sends none', async () => {
    // Batches holding the event, sent by the page's own fetch (the platform takes fetch as it starts).
    const count = `window.pageBatches = 0; const f = window.fetch; window.fetch = function (u, i) { if (String(u).endsWith('/v1/batch') && String(i && i.body).includes('From Worker')) window.pageBatches++; return f.call(this, u, i) };`
    const { page } = await suite.open('/worker', suite.hostPage({ script: `${count} ${suite.initScript({ sendFromWorker: true })}` }))
    // The worker's chunk loads as sending starts; until it is here the page sends (the page view).
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/off-thread-')))
    await page.evaluate(() => (window as any).linger.track('From Worker'))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'From Worker'))
    await expect.poll(() => page.workers().map((w) => w.url().slice(0, 5))).toEqual(['blob:'])
    expect(await page.evaluate(() => (window as any).pageBatches)).toBe(0)
    expect(suite.pageErrors).toEqual([])
  })

  it('runs under a strict CSP with a nonce (no unsafe-inline, no unsafe-eval)', async () => {
    const csp = `default-src 'self'; script-src 'self' 'nonce-n0nce'; style-src 'self'; connect-src 'self' ${suite.collector.url}`
    const { page } = await suite.open('/csp', suite.hostPage({ script: `${suite.initScript()} linger.track('Under CSP');`, csp, nonce: 'n0nce' }))
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Under CSP'))
    expect(violations).toEqual([])
  })
})
