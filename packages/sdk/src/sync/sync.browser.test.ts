import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'
import { exampleFlows } from '../experiences/checklist/example.fixture'

// Build first: node scripts/build.mjs. Two browser contexts are two devices (their own storage);
// between them, the real collector (embedded database) with a user-hash secret for the key.
const SECRET = 'test-secret'
const hash = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex')
const suite = useBrowserSuite()
let collector: { url: string; close(): Promise<void> }
// The collector's build (node scripts/build.mjs makes it), not its sources: this package's
// type check does not cover the collector's.
const COLLECTOR = '@linger/collector'

beforeAll(async () => {
  const { startCollector } = await import(/* @vite-ignore */ COLLECTOR)
  collector = await startCollector({ port: 0, host: '127.0.0.1', dataDir: null, databaseUrl: null, keys: ['pk_test'], secrets: { pk_test: SECRET }, flowsPath: '/nonexistent/flows.json', log: () => {} })
}, 180_000)
afterAll(() => collector?.close())

const flows = { version: 1, ...exampleFlows }
const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']
const launcher = (page: Page) => page.getByRole('button', { name: /tasks done/ })

/** A device: a fresh browser context where `userId` signs in, verified (userHash) or not. */
function device(path: string, userId: string, verified: boolean) {
  const identify = `linger('identify', ${JSON.stringify(userId)}, {}, ${verified ? JSON.stringify({ userHash: hash(userId) }) : '{}'});linger.track('Signed In');`
  const script = `linger('init', ${JSON.stringify({ key: 'pk_test', endpoint: collector.url, flushIntervalMs: 200, flows })});${identify}`
  return suite.open(path, suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }))
}

async function stored(userId: string) {
  const res = await fetch(`${collector.url}/v1/state?userId=${userId}&userHash=${hash(userId)}`, { headers: { Authorization: `Basic ${Buffer.from('pk_test:').toString('base64')}` } })
  return ((await res.json()) as { fields: Record<string, { value: any }> }).fields
}

describe('progress on every device, in Chromium with a real collector', () => {
  it('a first visit loads the engine while the verified user’s progress is on its way, not after it', async () => {
    const context = await suite.browser.newContext()
    const log: string[] = []
    let engineAsked: () => void = () => {}
    const engine = new Promise<void>((r) => (engineAsked = r))
    context.on('request', (r) => {
      if (/\/engine-[\w-]+\.js$/.test(r.url())) log.push('engine asked for'), engineAsked()
    })
    // A slow collector: the progress answers only once the engine was asked for, or 1 s late at
    // most (an SDK that waits for the progress before it asks would answer after it). Not a fixed
    // delay: 400 ms plus the sync chunk's loading passed the 1.5 s a sign-in waits on a loaded CI
    // machine, and ready came first.
    await context.route('**/v1/state**', async (route) => {
      await Promise.race([engine.then(() => new Promise((r) => setTimeout(r, 50))), new Promise((r) => setTimeout(r, 1000))])
      log.push('progress answered')
      await route.continue()
    })
    const { page } = await suite.open('/slow-progress', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script: `linger('init', ${JSON.stringify({ key: 'pk_test', endpoint: collector.url, flushIntervalMs: 200, flows })});linger('identify', 'u_slow', {}, ${JSON.stringify({ userHash: hash('u_slow') })});` }), context)
    await page.evaluate(() => new Promise((r) => (window as any).linger('on', 'ready', r)))
    // Asked for before the progress came, and still started only after it (ready follows both).
    expect(log).toEqual(['engine asked for', 'progress answered'])
    // And it still waited for the progress before the checklist started.
    // The progress is asked for again later: those requests must not hold the close up.
    await context.unrouteAll({ behavior: 'ignoreErrors' })
    await context.close()
    expect(suite.pageErrors).toEqual([])
  })

  it('a checklist finished on the laptop does not start over on the phone; an unverified user stays local-only', async () => {
    const laptop = await device('/laptop', 'u_ana', true)
    await expect.poll(() => launcher(laptop.page).textContent()).toContain('0/4')
    await laptop.page.evaluate((names) => names.forEach((n) => (window as any).linger.track(n)), ONBOARDING)
    await laptop.page.getByText('All done!').waitFor()
    // One field per task done and one for the status: two devices never undo each other's ticks.
    await expect.poll(async () => (await stored('u_ana'))['checklist:getting-started.status']?.value, { timeout: 15_000 }).toBe('completed')
    expect(Object.keys(await stored('u_ana')).filter((n) => n.startsWith('checklist:getting-started.done:'))).toHaveLength(4)

    // The phone: no storage of its own; the user's progress comes from the collector before
    // the checklist starts, so the first thing it shows is the finished list.
    const phone = await device('/phone', 'u_ana', true)
    // Finished (and celebrated) on the laptop: the phone keeps no "✓ 4/4" pill in its corner.
    await expect.poll(() => phone.page.evaluate(() => (window as any).linger.why('getting-started').reasons)).toEqual(['already-completed'])
    await phone.page.getByRole('button', { name: 'Badges', exact: true }).waitFor()
    expect(await launcher(phone.page).count()).toBe(0)
    expect(await phone.page.getByText('All done!').count()).toBe(0)

    // The same user on a device without a userHash: nothing is synced, the list starts afresh.
    const unverified = await device('/unverified', 'u_ana', false)
    await expect.poll(() => launcher(unverified.page).textContent()).toContain('0/4')
    expect(suite.pageErrors).toEqual([])
  })
})

describe('signing in on a second device, the page already running', () => {
  it('the list finished on the laptop arrives after the phone page started: the phone shows it done, without its "All done!", and sends no second completion or badge', async () => {
    const laptop = await device('/laptop-2', 'u_bea', true)
    await expect.poll(() => launcher(laptop.page).textContent(), { timeout: 10_000 }).toContain('0/4')
    await laptop.page.evaluate((names) => names.forEach((n) => (window as any).linger.track(n)), ONBOARDING)
    await laptop.page.getByText('All done!').waitFor()
    await expect.poll(async () => (await stored('u_bea'))['checklist:getting-started.status']?.value, { timeout: 15_000 }).toBe('completed')

    // The phone: a visitor who made a start on the list, then signs in on the running page.
    const sent: Array<Record<string, any>> = []
    const context = await suite.browser.newContext()
    await context.route('**/v1/batch', async (route) => {
      sent.push(...(JSON.parse(route.request().postData() ?? '{}').batch ?? []))
      await route.continue()
    })
    const script = `linger('init', ${JSON.stringify({ key: 'pk_test', endpoint: collector.url, flushIntervalMs: 200, flows })});linger.track('Visited');`
    const { page } = await suite.open('/phone-2', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await page.evaluate(() => (window as any).linger.track('Project Created'))
    await expect.poll(() => launcher(page).textContent(), { timeout: 10_000 }).toContain('1/4')
    await page.evaluate((h) => {
      ;(window as any).linger.identify('u_bea', {}, { userHash: h })
      ;(window as any).linger.track('Signed In On Phone')
    }, hash('u_bea'))
    await expect.poll(async () => JSON.parse((await page.evaluate(() => localStorage.getItem('linger:state:u:u_bea'))) ?? '{}')['checklist:getting-started']?.status, { timeout: 10_000 }).toBe('completed')
    // What it shows is the true count: the list the phone last showed at 1/4 is done.
    await expect.poll(() => launcher(page).textContent(), { timeout: 10_000 }).toContain('4/4')
    await page.evaluate(() => (window as any).linger.track('Phone Settled'))
    await expect.poll(() => sent.some((e) => e.event === 'Phone Settled'), { timeout: 15_000 }).toBe(true)
    expect(await page.getByText('All done!').count()).toBe(0)
    expect(sent.filter((e) => e.event === 'Checklist Completed' || e.event === 'Badge Earned').map((e) => e.event)).toEqual([])
    await context.close()
    expect(suite.pageErrors).toEqual([])
  })
})

describe('two tabs of one device, in Chromium', () => {
  it('the last two tasks ticked in two tabs at the same moment complete the list once: one Checklist Completed, one badge granted, each task once', async () => {
    const script = `${suite.initScript({ flows })}linger('identify', 'u_two_tabs');linger.track('Signed In');`
    const { page: a, context } = await suite.open('/tab-a', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }))
    const { page: b } = await suite.open('/tab-b', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await expect.poll(() => launcher(a).textContent(), { timeout: 10_000 }).toContain('0/4')
    await expect.poll(() => launcher(b).textContent(), { timeout: 10_000 }).toContain('0/4')
    const track = (page: Page, names: string[]) => page.evaluate((n) => n.forEach((e) => (window as any).linger.track(e)), names)
    await track(a, ['Task Created', 'Task Created', 'Task Created', 'Report Exported'])
    await expect.poll(() => launcher(b).textContent(), { timeout: 10_000 }).toContain('2/4')
    // The two last tasks, one in each tab, in the same moment.
    await Promise.all([track(a, ['Project Created']), track(b, ['Teammate Invited'])])
    await a.getByRole('button', { name: 'Badges', exact: true }).waitFor()
    await b.getByRole('button', { name: 'Badges', exact: true }).waitFor()
    // Each tab then says it is done: what either decided before is sent before this.
    await Promise.all([track(a, ['Tab A Settled']), track(b, ['Tab B Settled'])])
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Tab A Settled') && e.some((x) => x.event === 'Tab B Settled'))
    const mine = events.filter((e) => e.userId === 'u_two_tabs')
    const count = (name: string) => new Set(mine.filter((e) => e.event === name).map((e) => e.messageId)).size
    const sent = (name: string) => mine.filter((e) => e.event === name).length
    expect([count('Checklist Completed'), sent('Checklist Completed')]).toEqual([1, 1])
    expect([count('Checklist Task Completed'), sent('Checklist Task Completed')]).toEqual([4, 4])
    expect([count('Badge Earned'), sent('Badge Earned')]).toEqual([1, 1])
    expect(suite.pageErrors).toEqual([])
  })
})

describe('signing out in one tab of one device, in Chromium', () => {
  it('another tab open meanwhile sends as the next person, and shows them none of the last user\'s progress', async () => {
    const script = `${suite.initScript({ flows })}linger('identify', 'u_leaving');linger.track('Signed In');`
    const { page: a, context } = await suite.open('/out-a', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }))
    const { page: b } = await suite.open('/out-b', suite.hostPage({ body: '<main><h1>Acme</h1></main>', script }), context)
    await b.evaluate((n) => n.forEach((e) => (window as any).linger.track(e)), ['Project Created', 'Teammate Invited'])
    await expect.poll(() => launcher(a).textContent(), { timeout: 10_000 }).toContain('2/4')
    // Signed out in A; someone else signs in there.
    await a.evaluate(() => {
      ;(window as any).linger.reset()
      ;(window as any).linger.identify('u_next')
      ;(window as any).linger.track('Signed In')
    })
    // The next person's list starts afresh in both tabs.
    await expect.poll(() => launcher(a).textContent(), { timeout: 10_000 }).toContain('0/4')
    await expect.poll(() => launcher(b).textContent(), { timeout: 10_000 }).toContain('0/4')
    await b.evaluate(() => (window as any).linger.track('Clicked In Tab B'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Clicked In Tab B'))
    expect(events.find((x) => x.event === 'Clicked In Tab B')?.userId).toBe('u_next')
    // Their state holds nothing of the last user's.
    const next = await b.evaluate(() => JSON.parse(localStorage.getItem('linger:state:u:u_next') ?? '{}'))
    expect(next['checklist:getting-started']?.done ?? {}).toEqual({})
    expect(suite.pageErrors).toEqual([])
  })
})

describe('a tab back from the back/forward cache, in Chromium', () => {
  it('shows the checklist the user hid in another tab while it was away as hidden, without a reload', async () => {
    const { launchChromium } = await import('../../../../scripts/chromium.mjs')
    // Chromium as users run it: Playwright turns the back/forward cache off by default.
    const browser = await launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] })
    try {
      const context = await browser.newContext()
      const script = `${suite.initScript({ flows })}linger('identify', 'u_bfcache');linger.track('Signed In');addEventListener('pageshow', (e) => { window.restored = e.persisted })`
      suite.site.pages['/bf-a'] = await suite.hostPage({ body: '<main><h1>Acme</h1></main>', script })
      suite.site.pages['/bf-b'] = await suite.hostPage({ body: '<main><h1>Acme</h1></main>', script })
      suite.site.pages['/bf-elsewhere'] = { html: '<!doctype html><title>Elsewhere</title><p>Elsewhere</p>', headers: {} }
      const a = await context.newPage()
      const b = await context.newPage()
      await a.goto(suite.site.url + '/bf-a')
      await b.goto(suite.site.url + '/bf-b')
      await expect.poll(() => launcher(b).textContent(), { timeout: 10_000 }).toContain('0/4')
      // B goes to another page; meanwhile, in A, the user hides the checklist.
      await b.goto(suite.site.url + '/bf-elsewhere')
      await launcher(a).click()
      await a.getByRole('button', { name: 'Hide checklist' }).click()
      await a.getByRole('button', { name: 'Resume checklist' }).waitFor()
      await b.goBack({ waitUntil: 'commit' })
      await b.waitForFunction(() => (window as any).restored !== undefined)
      // Restored from the cache, not loaded again: its copy of the state is the one it left with.
      expect(await b.evaluate(() => (window as any).restored)).toBe(true)
      // Without a reload, within the time a loaded CI machine takes to render it (5 s once ran out there).
      await b.getByRole('button', { name: 'Resume checklist' }).waitFor({ timeout: 10_000 })
      expect(await launcher(b).count()).toBe(0)
    } finally {
      await browser.close()
    }
  })
})
