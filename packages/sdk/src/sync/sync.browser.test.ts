import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { setupBrowserSuite } from '../../../../test/harness'
import { exampleFlows } from '../experiences/checklist/example.fixture'

// Build first: node scripts/build.mjs. Two browser contexts are two devices (their own storage);
// between them, the real collector (embedded database) with a user-hash secret for the key.
const SECRET = 'test-secret'
const hash = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex')
let suite: Awaited<ReturnType<typeof setupBrowserSuite>>
let collector: { url: string; close(): Promise<void> }
// The collector's build (node scripts/build.mjs makes it), not its sources: this package's
// type check does not cover the collector's.
const COLLECTOR = '@linger/collector'

beforeAll(async () => {
  suite = await setupBrowserSuite()
  const { startCollector } = await import(/* @vite-ignore */ COLLECTOR)
  collector = await startCollector({ port: 0, host: '127.0.0.1', dataDir: null, databaseUrl: null, keys: ['pk_test'], secrets: { pk_test: SECRET }, flowsPath: '/nonexistent/flows.json', log: () => {} })
}, 180_000)
afterAll(async () => {
  await suite?.close()
  await collector?.close()
})

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
    context.on('request', (r) => {
      if (/\/engine-[\w-]+\.js$/.test(r.url())) log.push('engine asked for')
    })
    // A slow collector: the progress answers 400 ms late (well inside the 1.5 s a sign-in waits
    // for it, the sync chunk's loading included, however busy the machine: at 800 ms, a loaded
    // run of the whole suite once hit that bound, and ready came first).
    await context.route('**/v1/state**', async (route) => {
      await new Promise((r) => setTimeout(r, 400))
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
