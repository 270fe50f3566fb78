import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../../test/harness'

// Where focus goes when an announcement the app's own "What's new" button asked for (linger.show)
// closes by keyboard, and where it stays when one that came on its own closes. In real Chromium
// (build first, see feed-rtl).
const suite = useBrowserSuite({ pageErrors: 'each' })

const velocity = { id: 'velocity', format: 'banner', title: 'Velocity reports are here', body: 'See how fast your team closes tasks.', action: { label: 'Open reports', url: '#reports' } }
const templates = { id: 'templates', format: 'feed', title: 'Invoice templates', publishedAt: '2026-02-20' }

// The product's header has its own "What's new" button, and a "News" one inside its header web
// component (a shadow root), whose clicks the app handles at the document (delegation, as a
// framework's root listener does); a footer link lies between them and the banner (last in the
// document) in Tab order. `long`: a long report page, its footer far below the header.
// `more`: the rest of the flows (a survey, a renewal reminder); `traits`: the user's.
async function openApp(path: string, announcement: { id: string; [key: string]: unknown }, asks = announcement.id, long = false, more = {}, traits = {}) {
  const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [announcement], ...more }
  const script = `${suite.initScript({ flows })} linger('identify', ${JSON.stringify(path.slice(1))}, ${JSON.stringify(traits)}); linger.on('ready', () => (window.lingerReady = true));
    customElements.define('app-header', class extends HTMLElement { constructor() { super(); const b = document.createElement('button'); b.id = 'news'; b.textContent = 'News'; this.attachShadow({ mode: 'open' }).append(b) } });
    document.addEventListener('click', (e) => e.composedPath()[0].id == 'news' && linger('show', '${asks}'));`
  const body = `<header><h1>Acme Projects</h1><button id="whats-new" onclick="linger('show', '${asks}')">What's new</button><app-header></app-header></header>
    <main><label>Search <input id="search"></label> <a id="reports" href="#reports">Reports</a>${long ? '<div style="height:3000px"></div>' : ''}</main><footer><a id="terms" href="#terms">Terms</a></footer>`
  const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return { page, context }
}

const banner = (page: Page) => page.locator('[data-linger] section.banner')
/** What has focus, through shadow roots: a page element's id, or a Linger control's name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el?.id || el?.getAttribute('aria-label') || el?.textContent?.trim() || el?.tagName
  })
/** Where focus is in the feed: its title, its launcher, or nowhere in it. */
const inFeed = (page: Page) => page.evaluate(() => ((el) => el && [el.tagName, ...el.classList].filter((c) => !c.startsWith('linger-')).join(' '))(document.querySelector('linger-announcements-feed')?.shadowRoot?.activeElement))
async function tabTo(page: Page, name: string) {
  const passed: unknown[] = []
  for (let i = 0; i < 10 && (await focused(page)) !== name; i++) await page.keyboard.press('Tab'), passed.push(await focused(page))
  return passed
}

describe('a keyboard user who opens the banner with the app\'s own "What\'s new" button', () => {
  it('Tabs the long way round to its Dismiss, presses Enter, and is back on "What\'s new", not on the footer link they passed', async () => {
    const { page, context } = await openApp('/asked-banner-dismiss', { ...velocity, audience: { trait: 'plan', eq: 'never' } })
    expect(await tabTo(page, 'whats-new')).toEqual(['whats-new'])
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    // The banner took no focus: they go on by Tab, through the page, to it.
    expect(await focused(page)).toBe('whats-new')
    expect(await tabTo(page, 'Dismiss')).toEqual(['news', 'search', 'reports', 'terms', 'Open reports', 'Dismiss'])
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await focused(page)).toBe('whats-new')
    await context.close()
  })

  it('presses Escape in it and is back on "What\'s new"', async () => {
    const { page, context } = await openApp('/asked-banner-escape', { ...velocity, audience: { trait: 'plan', eq: 'never' } })
    await tabTo(page, 'whats-new')
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    await tabTo(page, 'Open reports')
    await page.keyboard.press('Escape')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await focused(page)).toBe('whats-new')
    await context.close()
  })

  it('whose button is gone from the page by then is put back where they came from in the page', async () => {
    const { page, context } = await openApp('/asked-banner-gone', { ...velocity, audience: { trait: 'plan', eq: 'never' } })
    await tabTo(page, 'whats-new')
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    await tabTo(page, 'Dismiss')
    // The app re-rendered its header meanwhile: that button is not on the page any more.
    await page.evaluate(() => document.getElementById('whats-new')!.remove())
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await focused(page)).toBe('terms')
    await context.close()
  })
})

describe('a keyboard user who opens the "what\'s new" feed with the app\'s own button', () => {
  it('closes it with Escape and is back on the app\'s button, not on the feed\'s launcher in the far corner', async () => {
    const { page, context } = await openApp('/asked-feed', templates)
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    await tabTo(page, 'whats-new')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isVisible()).toBe(true)
    await expect.poll(() => inFeed(page)).toBe('H2')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect(await focused(page)).toBe('whats-new')
    await context.close()
  })

  it('opened from its own launcher, closes back to the launcher', async () => {
    const { page, context } = await openApp('/launcher-feed', templates)
    const launcher = page.locator('linger-announcements-feed button.launcher')
    await launcher.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => inFeed(page)).toBe('H2')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect(await inFeed(page)).toBe('BUTTON launcher')
    await context.close()
  })
})

describe('a banner that comes on its own while the user types in the page\'s search field', () => {
  it('goes again as they type: the caret stays in the field, every key goes on into it', async () => {
    const { page, context } = await openApp('/own-banner-typing', { ...velocity, audience: { trait: 'plan', eq: 'team' } }, 'help')
    // They pressed one of the app's buttons a moment ago (its help, nothing of Linger's), then went to type.
    await page.locator('#whats-new').click()
    await page.locator('#search').click()
    await page.keyboard.type('overdue ')
    await page.evaluate(() => (window as any).linger('identify', 'own-banner-typing', { plan: 'team' }))
    await banner(page).waitFor()
    await page.keyboard.type('invoices')
    // The account changed back (another admin's edit): it is not theirs any more, and goes.
    await page.evaluate(() => (window as any).linger('identify', 'own-banner-typing', { plan: 'free' }))
    await expect.poll(() => banner(page).count()).toBe(0)
    await page.keyboard.type(' from march')
    expect(await page.locator('#search').inputValue()).toBe('overdue invoices from march')
    expect(await focused(page)).toBe('search')
    await context.close()
  })

  it('dismissed by keyboard after they Tabbed into it, puts them back where they came from, not in the search field they were typing in', async () => {
    const { page, context } = await openApp('/own-banner-tabbed', { ...velocity, audience: { trait: 'plan', eq: 'team' } }, 'help')
    await page.locator('#search').click()
    await page.keyboard.type('overdue')
    await page.evaluate(() => (window as any).linger('identify', 'own-banner-tabbed', { plan: 'team' }))
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['reports', 'terms', 'Open reports', 'Dismiss'])
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await focused(page)).toBe('terms')
    await context.close()
  })
})

describe('a keyboard user Tabbing down a long page', () => {
  const scrollY = (page: Page) => page.evaluate(() => window.scrollY)

  it('when a banner comes on its own (their plan changed) and they dismiss it by keyboard, stays at the bottom of the page where they are', async () => {
    const { page, context } = await openApp('/own-banner-long', { ...velocity, audience: { trait: 'plan', eq: 'team' } }, 'help', true)
    await tabTo(page, 'reports')
    await page.evaluate(() => (window as any).linger('identify', 'own-banner-long', { plan: 'team' }))
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['terms', 'Open reports', 'Dismiss'])
    const y = await scrollY(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect({ focus: await focused(page), scrolledUpBy: y - (await scrollY(page)) }).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })

  it('when the app shows a banner from its own timer (not their click) and they dismiss it by keyboard, stays where they are', async () => {
    const { page, context } = await openApp('/timer-banner-long', { ...velocity, audience: { trait: 'plan', eq: 'never' } }, 'help', true)
    await tabTo(page, 'reports')
    await page.evaluate(() => setTimeout(() => (window as any).linger('show', 'velocity')))
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['terms', 'Open reports', 'Dismiss'])
    const y = await scrollY(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect({ focus: await focused(page), scrolledUpBy: y - (await scrollY(page)) }).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })
})

describe('a mouse user who opens an announcement with the app\'s "What\'s new" button, then scrolls down the page', () => {
  const scrollY = (page: Page) => page.evaluate(() => window.scrollY)

  it('closes the feed with its × and the page stays where they scrolled it, not back up at the header', async () => {
    const { page, context } = await openApp('/mouse-feed', templates, 'templates', true)
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    await page.locator('#whats-new').click()
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isVisible()).toBe(true)
    await page.mouse.wheel(0, 1500)
    await expect.poll(() => scrollY(page)).toBeGreaterThan(1000)
    const y = await scrollY(page)
    await page.locator('linger-announcements-feed #la-panel .head button').click()
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect({ y: await scrollY(page), feed: await inFeed(page) }).toEqual({ y, feed: 'BUTTON launcher' })
    await context.close()
  })

  it('clicks the banner\'s Dismiss and the page stays where they scrolled it, focus not sent back to the header', async () => {
    const { page, context } = await openApp('/mouse-banner', { ...velocity, audience: { trait: 'plan', eq: 'never' } }, 'velocity', true)
    await page.locator('#whats-new').click()
    await banner(page).waitFor()
    await page.mouse.wheel(0, 1500)
    await expect.poll(() => scrollY(page)).toBeGreaterThan(1000)
    const y = await scrollY(page)
    await banner(page).getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await scrollY(page)).toBe(y)
    expect(await focused(page)).not.toBe('whats-new')
    await context.close()
  })
})

describe('a keyboard user who opens the feed with the "News" button inside the app\'s header component (its click handled at the document)', () => {
  it('closes it with Escape and is back on "News", not on the feed\'s launcher in the far corner', async () => {
    const { page, context } = await openApp('/component-feed', templates)
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    await tabTo(page, 'news')
    await page.keyboard.press('Enter')
    await expect.poll(() => inFeed(page)).toBe('H2')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect(await focused(page)).toBe('news')
    await context.close()
  })
})

// A survey the app shows, a renewal reminder that holds the banner's place while the plan renews soon.
const pulse = { id: 'pulse', kind: 'csat', question: 'How easy was search?' }
const renewal = { id: 'renewal', title: 'Your plan renews soon', action: 'Check payment details' }
const scrollY = (page: Page) => page.evaluate(() => window.scrollY)
describe('what an earlier ask of "What\'s new" leaves behind', () => {
  it('opens the feed, scrolls down, and the app shows a survey in its place: the page stays where they scrolled it, focus in the survey', async () => {
    const { page, context } = await openApp('/asked-feed-survey', templates, 'templates', true, { surveys: [pulse] })
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    await page.locator('#whats-new').click()
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isVisible()).toBe(true)
    await expect.poll(() => inFeed(page)).toBe('H2')
    await page.mouse.wheel(0, 1500)
    await expect.poll(() => scrollY(page)).toBeGreaterThan(1000)
    const y = await scrollY(page)
    await page.evaluate(() => setTimeout(() => (window as any).linger('show', 'pulse')))
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect({ y: await scrollY(page), focus: await focused(page) }).toEqual({ y, focus: 'Survey' })
    await context.close()
  })
  it('clicks "What\'s new" while the renewal reminder holds the banner\'s place; the banner comes later, as they Tab down the page, and its Dismiss by keyboard leaves them where they are', async () => {
    const day = new Date(Date.now() + 3 * 86400000)
    const renewsAt = [day.getFullYear(), day.getMonth() + 1, day.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-')
    const { page, context } = await openApp('/asked-later', { ...velocity, audience: { trait: 'plan', eq: 'never' } }, 'velocity', true, { billing: { renewalReminders: renewal } }, { renewsAt })
    await expect.poll(() => page.locator('linger-billing-banner section.banner').count()).toBe(1)
    await page.locator('#whats-new').click()
    await page.waitForTimeout(300)
    expect(await banner(page).count()).toBe(1) // the billing one only
    await tabTo(page, 'reports')
    await page.evaluate(() => (window as any).linger('identify', 'asked-later', { renewsAt: null }))
    await expect.poll(() => page.locator('linger-announcements-banner section.banner').count()).toBe(1)
    expect(await tabTo(page, 'Dismiss')).toEqual(['terms', 'Open reports', 'Dismiss'])
    const y = await scrollY(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('linger-announcements-banner section.banner').count()).toBe(0)
    expect({ focus: await focused(page), scrolledUpBy: y - (await scrollY(page)) }).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })
})

// The app's header component handles its own "News" button, in its shadow root: a listener there
// has no window.event (the browser hides it from code inside a shadow tree). `how` its listener
// calls linger.show: in the user's click or key (`click`), from a timer it sets then (`timer`),
// once a request it made then answers (`fetch`), or as the button gets focus (`focus`: the user
// Tabbing onto it asked for nothing). A long page: its footer link far below the header.
async function openComponentApp(path: string, announcement: { id: string; [key: string]: unknown }, how: 'click' | 'timer' | 'fetch' | 'focus' = 'click') {
  const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [announcement] }
  const show = `linger('show', '${announcement.id}')`
  const call = { click: show, focus: show, timer: `setTimeout(() => ${show})`, fetch: `fetch(location.href).then(() => ${show})` }[how]
  const script = `${suite.initScript({ flows })} linger('identify', ${JSON.stringify(path.slice(1))}, {}); linger.on('ready', () => (window.lingerReady = true));
    customElements.define('app-header', class extends HTMLElement { constructor() { super(); const b = document.createElement('button'); b.id = 'news'; b.textContent = 'News'; b.addEventListener('${how == 'focus' ? 'focus' : 'click'}', () => ${call}); this.attachShadow({ mode: 'open' }).append(b) } });`
  const body = `<header><h1>Acme Projects</h1><button id="whats-new">Help</button><app-header></app-header></header>
    <main><label>Search <input id="search"></label> <a id="reports" href="#reports">Reports</a><div style="height:3000px"></div></main><footer><a id="terms" href="#terms">Terms</a></footer>`
  const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return { page, context }
}

describe('a keyboard user who opens an announcement with the "News" button of the app\'s header component, its click handled inside the component', () => {
  it('Tabs the long way round to the banner\'s Dismiss, presses Enter, and is back on "News" in the component, not on the footer link they passed', async () => {
    const { page, context } = await openComponentApp('/component-own-banner', { ...velocity, audience: { trait: 'plan', eq: 'never' } })
    await tabTo(page, 'news')
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['search', 'reports', 'terms', 'Open reports', 'Dismiss'])
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect(await focused(page)).toBe('news')
    await context.close()
  })

  it('closes the feed with Escape and is back on "News" in the component, not on the feed\'s launcher in the far corner', async () => {
    const { page, context } = await openComponentApp('/component-own-feed', templates)
    await page.locator('linger-announcements-feed button.launcher').waitFor()
    await tabTo(page, 'news')
    await page.keyboard.press('Enter')
    await expect.poll(() => inFeed(page)).toBe('H2')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
    expect(await focused(page)).toBe('news')
    await context.close()
  })
})

describe('a banner the header component shows that the user\'s key did not ask for, dismissed by keyboard at the bottom of the long page, leaves them there', () => {
  const dismissAtBottom = async (page: Page, passed: string[]) => {
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(passed)
    const y = await scrollY(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    return { focus: await focused(page), scrolledUpBy: y - (await scrollY(page)) }
  }
  const own = { ...velocity, audience: { trait: 'plan', eq: 'never' } }

  for (const [when, how] of [
    ['from a timer its "News" click set', 'timer'],
    ['once a request its "News" click made has answered', 'fetch'],
  ] as const)
    it(when, async () => {
      const { page, context } = await openComponentApp(`/component-${how}`, own, how)
      await tabTo(page, 'news')
      await page.keyboard.press('Enter')
      expect(await dismissAtBottom(page, ['search', 'reports', 'terms', 'Open reports', 'Dismiss'])).toEqual({ focus: 'terms', scrolledUpBy: 0 })
      await context.close()
    })

  it('as they Tab onto "News" on their way down the page', async () => {
    const { page, context } = await openComponentApp('/component-focus', own, 'focus')
    await tabTo(page, 'news')
    expect(await dismissAtBottom(page, ['search', 'reports', 'terms', 'Open reports', 'Dismiss'])).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })

  it('when the app\'s script clicks "News" (not the user) while they are on the reports link', async () => {
    const { page, context } = await openComponentApp('/component-script-click', own)
    await tabTo(page, 'reports')
    await page.evaluate(() => (document.querySelector('app-header')!.shadowRoot!.getElementById('news') as HTMLButtonElement).click())
    expect(await dismissAtBottom(page, ['terms', 'Open reports', 'Dismiss'])).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })
})

// The app calls linger.show() for its banner as the page loads, before init (the script-tag front
// holds the call), and starts Linger only once the user accepts cookies: init runs in that click.
// The held show() was made in no event: the consent click it is replayed in asked for nothing.
describe('a banner the app showed as the long page loaded, Linger started by the user\'s "Accept cookies"', () => {
  it('dismissed by keyboard at the bottom of the page leaves them there, not sent back up to the consent button', async () => {
    const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [{ ...velocity, audience: { trait: 'plan', eq: 'never' } }] }
    const body = `<header><h1>Acme Projects</h1><p>We use cookies to remember your settings.</p><button id="accept">Accept cookies</button></header>
      <main><a id="reports" href="#reports">Reports</a><div style="height:3000px"></div></main><footer><a id="terms" href="#terms">Terms</a></footer>`
    const script = `linger('show', 'velocity'); addEventListener('DOMContentLoaded', function () { document.getElementById('accept').addEventListener('click', function () { ${suite.initScript({ flows })} linger('identify', 'consent-then-init', {}) }) })`
    const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/consent-then-init', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.locator('#accept').focus()
    await page.keyboard.press('Enter')
    await banner(page).waitFor()
    expect(await tabTo(page, 'Dismiss')).toEqual(['reports', 'terms', 'Open reports', 'Dismiss'])
    const y = await scrollY(page)
    await page.keyboard.press('Enter')
    await expect.poll(() => banner(page).count()).toBe(0)
    expect({ focus: await focused(page), scrolledUpBy: y - (await scrollY(page)) }).toEqual({ focus: 'terms', scrolledUpBy: 0 })
    await context.close()
  })
})

// The app's header component with its shadow root closed (a design system's, whose insides the
// page cannot reach): a "Menu" button, then "News", whose click it handles inside. `delegates`:
// the component delegates focus (`delegatesFocus`), as a focusable custom control does.
async function openClosedApp(path: string, announcement: { id: string; [key: string]: unknown }, delegates: boolean) {
  const flows = { version: 1, settings: { cooldownDays: 0 }, announcements: [announcement] }
  const script = `${suite.initScript({ flows })} linger('identify', ${JSON.stringify(path.slice(1))}, {}); linger.on('ready', () => (window.lingerReady = true));
    customElements.define('app-header', class extends HTMLElement { constructor() { super(); const root = this.attachShadow({ mode: 'closed', delegatesFocus: ${delegates} });
      const menu = document.createElement('button'); menu.textContent = 'Menu'; const b = document.createElement('button'); b.textContent = 'News';
      b.addEventListener('click', () => linger('show', '${announcement.id}')); root.append(menu, b);
      window.headerFocus = () => (root.activeElement || {}).textContent } });`
  const body = `<header><h1>Acme Projects</h1><app-header></app-header></header>
    <main><label>Search <input id="search"></label> <a id="reports" href="#reports">Reports</a></main><footer><a id="terms" href="#terms">Terms</a></footer>`
  const context = await suite.browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
  const { page } = await suite.open(path, suite.hostPage({ body, script }), context)
  await page.waitForFunction(() => (window as any).lingerReady === true)
  return { page, context }
}
/** Where focus is: in the closed component (the name of its control, as only the component knows it), or elsewhere. */
const where = async (page: Page) => ((await focused(page)) == 'APP-HEADER' ? 'header: ' + (await page.evaluate(() => (window as any).headerFocus())) : focused(page))

// What "News" is, the page cannot see: the press's target, focus, are the component itself. Focus
// goes back to the component, and the browser puts it on the control the component delegates to
// (its first: "Menu", a Tab before "News"); a component that takes no focus itself cannot have it
// back, and focus goes where it would had "News" gone from the page (the feed's launcher, the
// page's link they Tabbed from).
describe('a keyboard user who opens "what\'s new" with "News" in the app\'s header component whose shadow root is closed', () => {
  const cases = [
    [true, 'the feed, closed with Escape, is back in the header component, on the control it delegates focus to', ['header: Menu', null]],
    [false, 'the feed, closed with Escape, from a component that takes no focus itself, is on the feed\'s launcher', ["What's new", 'BUTTON launcher']],
  ] as const
  for (const [delegates, story, back] of cases)
    it(story, async () => {
      const { page, context } = await openClosedApp(`/closed-${delegates}`, templates, delegates)
      await page.locator('linger-announcements-feed button.launcher').waitFor()
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      expect(await where(page)).toBe('header: News')
      await page.keyboard.press('Enter')
      await expect.poll(() => inFeed(page)).toBe('H2')
      await page.keyboard.press('Escape')
      await expect.poll(() => page.locator('linger-announcements-feed #la-panel').isHidden()).toBe(true)
      expect([await where(page), await inFeed(page)]).toEqual(back)
      await context.close()
    })
  const banners = [
    [true, 'the banner, Tabbed to the long way round and dismissed by Enter, is back in the header component, on the control it delegates focus to', 'header: Menu'],
    [false, 'the banner, dismissed by Enter, from a component that takes no focus itself, leaves them on the page\'s link they Tabbed from', 'terms'],
  ] as const
  for (const [delegates, story, back] of banners)
    it(story, async () => {
      const { page, context } = await openClosedApp(`/closed-banner-${delegates}`, { ...velocity, audience: { trait: 'plan', eq: 'never' } }, delegates)
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      expect(await where(page)).toBe('header: News')
      await page.keyboard.press('Enter')
      await banner(page).waitFor()
      expect(await tabTo(page, 'Dismiss')).toEqual(['search', 'reports', 'terms', 'Open reports', 'Dismiss'])
      await page.keyboard.press('Enter')
      await expect.poll(() => banner(page).count()).toBe(0)
      expect(await where(page)).toBe(back)
      await context.close()
    })
})
