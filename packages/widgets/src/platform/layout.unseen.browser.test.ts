import { beforeAll, describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'
import { EAR, heard } from '../../../../test/ear'
import { bundleApp, openBundledApp, packages } from '../../../../test/npm-bundle'

// At 400 % zoom (320×256) with a banner up, a survey that comes has no room: it waits, unseen,
// until the banner goes. What waits is not there for anyone: not for a screen reader, not for the
// count, and it hides nothing of the page (a tour's hotspot where it would be stays in sight).
const banner = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', action: { label: 'Try it', url: '/invoices' } }
const checklist = { id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const nps = { id: 'nps-quarterly', kind: 'nps', question: 'How likely are you to recommend Acme to a colleague?' }
const SHORT = { width: 320, height: 256 }

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(user: string, body: string, flows: object, traits: object = {}) {
  const script = `${EAR}${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(user)}, ${JSON.stringify(traits)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport: SHORT })
  const { page } = await suite.open(`/${user}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}
const sent = (user: string, event: string) => suite.collector.delivered().filter((e) => e.userId === user && e.event === event)
const said = async (page: Awaited<ReturnType<typeof open>>, text: string) => (await heard(page)).filter((h) => h.text.includes(text)).length

describe('a screen reader user at 400 % zoom, a banner up, when a survey comes', () => {
  it('hears nothing of the survey while it waits unseen, and hears its question once it is on screen', async () => {
    const page = await open('sr-wait', '<main><h1>Acme</h1></main>', { announcements: [banner], checklists: [checklist], surveys: [nps] })
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    // Past the live region's pause (60 ms): a message it would say of the waiting card is said by now.
    await page.waitForTimeout(400)
    expect(await card.isVisible()).toBe(false)
    expect(await said(page, 'Survey: How likely')).toBe(0)

    await page.locator('linger-announcements-banner').getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => card.isVisible()).toBe(true)
    await expect.poll(() => said(page, 'Survey: How likely')).toBe(1)
    await page.context().close()
  })
})

describe('a tour hotspot where a waiting survey would be', () => {
  it('stays in sight: the survey that waits is not on screen, and hides nothing', async () => {
    const tour = { id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'save', target: '#save', title: 'Save your view', body: 'Keep these filters.', beacon: true }] }
    const body = '<main><h1>Acme</h1><button id="save" style="position:fixed;left:24px;bottom:110px">Save view</button></main>'
    const page = await open('beacon-wait', body, { announcements: [banner], checklists: [checklist], surveys: [nps], tours: [tour] })
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await page.evaluate(() => (window as any).linger.track('Go'))
    // By its class: a screen reader's view of the page (getByRole) leaves out what is hidden.
    const beacon = page.locator('linger-tours .beacon')
    await expect.poll(() => beacon.isVisible()).toBe(true)
    const spot = (await beacon.boundingBox())!
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    // The waiting card's box is over the hotspot: hidden for it, the user would lose the hotspot to nothing.
    expect(await card.evaluate((el, b) => { const r = el.getBoundingClientRect(); return r.top < b.y + b.height && b.y < r.bottom && r.left < b.x + b.width && b.x < r.right }, spot)).toBe(true)
    await page.waitForTimeout(300)
    expect(await card.isVisible()).toBe(false)
    expect(await beacon.isVisible()).toBe(true)
    await page.context().close()
  })
})

// The npm form, with the app's own code on Linger's stores: it asks its NPS as the user ticks the
// "Export a report" task (its listener runs while the store tells the others).
const ENTRY = `
import { createLinger } from ${packages.sdk}
import { mountWidgets } from ${packages.widgets}
const linger = (window.linger = createLinger(window.lingerOptions))
mountWidgets(linger)
linger.identify('npm-second', { plan: 'free' })
linger.ready.then(() => linger.experiences.checklists.$checklists.listen((lists) => lists.some((l) => l.done.export) && linger.show('nps-export')))`
const files: Record<string, string> = {}

describe("a survey the app's own code asks for from a Linger store's listener, the survey widget already on the page", () => {
  beforeAll(async () => void Object.assign(files, await bundleApp(ENTRY)))
  it('at 400 % zoom with a banner up, waits unseen and is counted shown only once it is on screen', async () => {
    const flows = {
      version: 1,
      settings: { cooldownDays: 0 },
      announcements: [{ ...banner, audience: { trait: 'plan', eq: 'pro' } }],
      checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'export', title: 'Export a report', doneWhen: { event: 'Report Exported' } }, { id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' } }] }],
      surveys: [nps, { ...nps, id: 'nps-export' }],
    }
    const { page } = await openBundledApp(suite, files, '/npm-second', { key: 'pk_test', endpoint: suite.collector.url, flushIntervalMs: 200, flows })
    await page.setViewportSize(SHORT)
    await page.waitForFunction(() => (window as any).linger?.experiences?.surveys)
    const card = page.locator('linger-survey [role=dialog]')
    // A first survey, answered by closing it: the survey widget is on the page from then on.
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    await expect.poll(() => card.isVisible()).toBe(true)
    await page.locator('linger-survey').getByRole('button', { name: 'Close survey' }).click()
    await expect.poll(() => card.count()).toBe(0)
    await page.evaluate(() => (window as any).linger.identify('npm-second', { plan: 'pro' }))
    await page.locator('linger-announcements-banner section.banner').waitFor()

    await page.evaluate(() => (window as any).linger.track('Report Exported'))
    await card.waitFor({ state: 'attached' })
    await page.evaluate(() => (window as any).linger.track('Invoices Viewed'))
    await suite.collector.waitFor(() => sent('npm-second', 'Invoices Viewed').length === 1)
    expect(await card.isVisible()).toBe(false)
    expect(sent('npm-second', 'Survey Shown').map((e) => e.properties?.surveyId)).toEqual(['nps-quarterly'])

    await page.locator('linger-announcements-banner').getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => card.isVisible()).toBe(true)
    await suite.collector.waitFor(() => sent('npm-second', 'Survey Shown').length === 2)
  })
})
