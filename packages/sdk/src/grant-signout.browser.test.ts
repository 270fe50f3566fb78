import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../../../test/harness'

// Build first: LINGER_CDN_DIR=/tmp/cdn-… node scripts/build.mjs. Real HTTP to the test collector.
const suite = useBrowserSuite({ pageErrors: 'each' })

const flows = { version: 1, badges: [{ id: 'team', title: 'Team player', points: 20, rule: { event: 'Teammate Invited' } }] }
// A busy browser: its lock manager answers a grant's claim 300 ms late.
const busy = `<script>(function () {
  var locks = navigator.locks, request = locks.request.bind(locks);
  locks.request = function (name) {
    var args = arguments;
    if (String(name).indexOf('linger:granted:') !== 0) return request.apply(null, args);
    return new Promise(function (r) { setTimeout(r, 300) }).then(function () { return request.apply(null, args) });
  };
})()</script>`

describe('a badge still being claimed as the user signs out, in Chromium', () => {
  it('Ann invites a teammate and the app signs her out at once: the collector counts her badge, as hers', async () => {
    const script = `${suite.initScript({ flows })} linger('identify', 'ann');`
    const { page } = await suite.open('/signout', suite.hostPage({ head: busy, body: '<main><h1>Team</h1></main>', script }))
    await page.evaluate(() => new Promise((r) => (window as any).linger('on', 'ready', r)))
    await page.evaluate(() => {
      const linger = (window as any).linger
      linger.track('Teammate Invited')
      // The sign-out's request came back a moment later, the lock manager still answering.
      setTimeout(() => linger.reset(), 50)
    })
    // Once her badge came, whatever else was to come of the claim has come by the page's next
    // event (not a fixed 1.5 s: on a loaded machine the lock's answer can take longer).
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Badge Earned'))
    await page.evaluate(() => (window as any).linger.track('Page Settled'))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Page Settled'))
    const badges = suite.collector.stored().filter((e) => e.event === 'Badge Earned')
    expect(badges.map((e) => e.userId)).toEqual(['ann'])
  }, 30_000)

  it('Cleo invites a teammate and signs out in the same click: the collector counts her badge, as hers', async () => {
    const script = `${suite.initScript({ flows })} linger('identify', 'cleo');`
    const { page } = await suite.open('/same-click', suite.hostPage({ body: '<main><h1>Team</h1></main>', script }))
    await page.evaluate(() => new Promise((r) => (window as any).linger('on', 'ready', r)))
    await page.evaluate(() => {
      const linger = (window as any).linger
      linger.track('Teammate Invited')
      linger.reset()
    })
    // Once her badge came, whatever else was to come of the grant's turn has come by the page's
    // next event (not a fixed 1.5 s: on a loaded machine the turn can take longer). Ann's came before.
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Badge Earned' && x.userId !== 'ann'))
    await page.evaluate(() => (window as any).linger.track('Click Settled'))
    await suite.collector.waitFor((e) => e.some((x) => x.event === 'Click Settled'))
    const badges = suite.collector.stored().filter((e) => e.event === 'Badge Earned' && e.userId === 'cleo')
    expect(badges).toHaveLength(1)
  }, 30_000)
})
