import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// A survey that waits unseen for room (a short window, a banner up) or behind the host control the
// keyboard user focused is not shown yet: its Shown is counted once it is on screen, and only once.
const banner = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once', body: 'Pick invoices, press Export.', action: { label: 'Try it', url: '/invoices' } }
// The always-on launchers at the bottom: the checklist's and "What's new".
const checklist = { id: 'getting-started', title: 'Get started', tasks: [{ id: 'project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const feed = { id: 'templates', format: 'feed', title: 'Invoice templates', body: 'Save a layout once, reuse it.', publishedAt: '2026-02-20' }
const nps = { id: 'nps-quarterly', kind: 'nps', question: 'How likely are you to recommend Acme to a colleague?' }

const suite = useBrowserSuite({ pageErrors: 'each' })

async function open(user: string, body: string, flows: object, viewport: { width: number; height: number }) {
  const script = `${suite.initScript({ flows: { settings: { cooldownDays: 0 }, ...flows } })}
    linger('identify', ${JSON.stringify(user)});
    linger.on('ready', () => (window.lingerReady = true));`
  const context = await suite.browser.newContext({ viewport })
  const { page } = await suite.open(`/${user}`, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return page
}
const sent = (user: string, event: string) => suite.collector.delivered().filter((e) => e.userId === user && e.event === event)

describe('at 400 % zoom (320×256), a banner up and a survey triggered', () => {
  it('the survey waiting for room is not counted shown; once the banner is dismissed it comes up and is counted once', async () => {
    const page = await open('u-short', '<main><h1>Acme</h1></main>', { announcements: [banner, feed], checklists: [checklist], surveys: [nps] }, { width: 320, height: 256 })
    await page.locator('linger-announcements-banner section.banner').waitFor()
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    // Whatever the page sent after the survey was drawn has arrived: a Shown sent with it would have too.
    await page.evaluate(() => (window as any).linger.track('Invoices Viewed'))
    await suite.collector.waitFor(() => sent('u-short', 'Invoices Viewed').length === 1)
    expect(await card.isVisible()).toBe(false)
    expect(sent('u-short', 'Survey Shown')).toHaveLength(0)

    await page.locator('linger-announcements-banner').getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => card.isVisible()).toBe(true)
    await suite.collector.waitFor(() => sent('u-short', 'Survey Shown').length === 1)
    await page.evaluate(() => (window as any).linger.track('Survey Seen Check'))
    await suite.collector.waitFor(() => sent('u-short', 'Survey Seen Check').length === 1)
    expect(sent('u-short', 'Survey Shown')).toHaveLength(1)
    await page.context().close()
  })
})

describe('a keyboard user on the host control the survey would come over', () => {
  it('the survey hidden while that control has focus is counted shown once focus moves on, and not again as it steps aside later', async () => {
    // A side panel's tall button: the survey has no clear corner to go to, and is over its middle.
    const body = '<a id="first" href="#first">Inbox</a><button id="side" style="position:fixed;right:0;top:0;height:100%;width:240px">Filters</button>'
    const page = await open('u-focus', body, { surveys: [nps] }, { width: 1280, height: 360 })
    await page.locator('#first').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement!.id)).toBe('side')
    await page.evaluate(() => (window as any).linger.show('nps-quarterly'))
    const card = page.locator('linger-survey [role=dialog]')
    await card.waitFor({ state: 'attached' })
    await page.evaluate(() => (window as any).linger.track('Filters Viewed'))
    await suite.collector.waitFor(() => sent('u-focus', 'Filters Viewed').length === 1)
    expect(await card.isVisible()).toBe(false)
    expect(sent('u-focus', 'Survey Shown')).toHaveLength(0)

    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => card.isVisible()).toBe(true)
    await suite.collector.waitFor(() => sent('u-focus', 'Survey Shown').length === 1)
    // Back to the button: the survey steps aside again, and comes back; it was seen already.
    await page.keyboard.press('Tab')
    await expect.poll(() => card.isVisible()).toBe(false)
    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => card.isVisible()).toBe(true)
    await page.evaluate(() => (window as any).linger.track('Inbox Viewed'))
    await suite.collector.waitFor(() => sent('u-focus', 'Inbox Viewed').length === 1)
    expect(sent('u-focus', 'Survey Shown')).toHaveLength(1)
    await page.context().close()
  })
})
