import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// Page views of a single-page app as the vendor reads them: a real router's order of work (the
// URL first, the title after it), in Chromium, to a real collector.
const suite = useBrowserSuite()

// A router as React Router, Vue Router or Angular's work: the URL changes, then the screen's
// title is set (in the same task); hash routes set theirs as they hear hashchange.
const router = `
  window.go = function (path, title) { history.pushState({}, '', path); document.title = title }
  addEventListener('hashchange', function () { if (location.hash === '#/settings') document.title = 'Settings' })
  addEventListener('popstate', function () { if (!location.hash) document.title = location.pathname.endsWith('dashboard') ? 'Dashboard' : 'Host' });`

describe('single-page-app page views', () => {
  it('each screen the user saw is one page view with its own title; a redirect chain is the one screen it ends on', async () => {
    const { page } = await suite.open('/nav', suite.hostPage({ script: `${router} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    const views = async (n: number) => {
      const events = await suite.collector.waitFor((e) => e.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/nav')).length >= n)
      return events.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/nav')).map((x) => `${new URL(x.properties.url).pathname}${new URL(x.properties.url).hash} ${x.properties.title}`)
    }
    await page.evaluate(() => (window as any).go('/nav/projects', 'Projects'))
    expect(await views(2)).toEqual(['/nav Host', '/nav/projects Projects'])
    // The sign-in guard sends the user on before anything is drawn.
    await page.evaluate(() => {
      history.pushState({}, '', '/nav/login')
      history.replaceState({}, '', '/nav/dashboard')
      document.title = 'Dashboard'
    })
    expect(await views(3)).toEqual(['/nav Host', '/nav/projects Projects', '/nav/dashboard Dashboard'])
    await page.evaluate(() => (location.hash = '#/settings'))
    // Seen before the user goes back: a Back in the same moment would make it no screen at all.
    expect((await views(4)).at(-1)).toBe('/nav/dashboard#/settings Settings')
    await page.goBack()
    expect(await views(5)).toEqual(['/nav Host', '/nav/projects Projects', '/nav/dashboard Dashboard', '/nav/dashboard#/settings Settings', '/nav/dashboard Dashboard'])
    await page.close()
  })

  it('a docs page read through its table of contents, then searched with a box that mirrors each keystroke into the URL, is one page view per screen, not one per heading or keystroke', async () => {
    const body = `<nav><a href="#install">Install</a> <a href="#faq">FAQ</a> <a href="#top">Top</a></nav>
      <input id="q" aria-label="Search"><h2 id="install">Install</h2><h2 id="faq">FAQ</h2>`
    // As a search page keeps its box in the URL (no history entry per keystroke).
    const mirror = `document.addEventListener('input', function (e) { history.replaceState({}, '', '/docs2/search?q=' + encodeURIComponent(e.target.value)) });`
    const { page } = await suite.open('/docs2', await suite.hostPage({ body, script: `${mirror} ${suite.initScript()}` }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    for (const link of ['#install', '#faq', '#top', '#install']) await page.click(`a[href="${link}"]`)
    await page.waitForFunction(() => location.hash === '#install')
    await page.evaluate(() => history.pushState({}, '', '/docs2/search'))
    await page.waitForFunction(() => location.pathname === '/docs2/search')
    await page.type('#q', 'install')
    await page.waitForFunction(() => location.search === '?q=install')
    // The next screen, to know every page view before it has come.
    await page.evaluate(() => history.pushState({}, '', '/docs2/done'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.type === 'page' && x.context.page.path === '/docs2/done'))
    const views = events.filter((x) => x.type === 'page' && x.context.page.path.startsWith('/docs2')).map((x) => x.context.page.path)
    expect(views).toEqual(['/docs2', '/docs2/search', '/docs2/done'])
    await page.close()
  })

  it("a script-tag app whose router redirects in the task it called init in (the screen's title set) sends one page view: that screen, with its title", async () => {
    // The runtime comes later than the router's start, as it does from a CDN.
    suite.site.setRuntimeDelay(500)
    try {
      const boot = `${suite.initScript()} history.replaceState({}, '', '/boot#/home'); document.title = 'Home — Acme';`
      const { page } = await suite.open('/boot', await suite.hostPage({ script: boot }))
      await page.waitForFunction(() => (window as any).linger?.loaded === true)
      await page.evaluate(() => (window as any).linger.track('Home Viewed'))
      const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Home Viewed'))
      const views = events.filter((x) => x.type === 'page' && x.context.page.path === '/boot').map((x) => `${new URL(x.properties.url).hash} ${x.properties.title}`)
      // Not first a page view of /boot titled "Host", which was never on screen.
      expect(views).toEqual(['#/home Home — Acme'])
      await page.close()
    } finally {
      suite.site.setRuntimeDelay(0)
    }
  })

  it('a password reset or magic link (its token, the email it was sent to) reaches the collector without them', async () => {
    const { page } = await suite.open('/magic', suite.hostPage({ script: suite.initScript() }))
    await page.waitForFunction(() => (window as any).linger?.loaded === true)
    await page.evaluate(() => {
      history.pushState({}, '', '/magic/reset?token=s3cr3t-t0ken&email=jane.doe%40example.com&utm_source=mail#access_token=eyJfragment')
      document.title = 'Reset password for jane.doe@example.com'
    })
    await suite.collector.waitFor((e) => e.some((x) => x.type === 'page' && x.context.page.path === '/magic/reset'))
    await page.evaluate(() => (window as any).linger.track('Reset Viewed'))
    const events = await suite.collector.waitFor((e) => e.some((x) => x.event === 'Reset Viewed'))
    const mine = events.filter((x) => x.context.page.path.startsWith('/magic/reset'))
    expect(mine.map((x) => x.event ?? x.type)).toEqual(['page', 'Reset Viewed'])
    const wire = JSON.stringify(mine)
    for (const secret of ['s3cr3t-t0ken', 'jane.doe', 'eyJfragment']) expect(wire).not.toContain(secret)
    expect(mine[0].context.page.url).toContain('utm_source=mail')
    await page.close()
  })
})
