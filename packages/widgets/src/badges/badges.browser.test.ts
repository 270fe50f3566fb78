import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { useBrowserSuite } from '../../../../test/harness'

// Build first: LINGER_CDN_DIR=/tmp/cdn-badges node -e "import('./scripts/build.mjs').then(m=>m.buildAll())"
const suite = useBrowserSuite({ pageErrors: 'each' })

const flows = {
  version: 1,
  settings: { cooldownDays: 0, leaderboard: true },
  badges: [{ id: 'reporter', title: 'Report pro', points: 30, rule: { event: 'Report Exported', count: { gte: 10 } } }],
  levels: [{ name: 'Newcomer', points: 0 }],
}

/** The element focus is on, through shadow roots: its tag and accessible name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el ? `${el.tagName} ${el.closest('label')?.textContent ?? el.getAttribute('aria-label') ?? ''}`.trim() : ''
  })

/** Max, a verified member of Acme, on a page with a Badges button of the host's. */
const openAsMax = (path: string) =>
  suite.open(
    path,
    suite.hostPage({
      body: '<main><button id="open">Badges</button></main>',
      script: `${suite.initScript({ flows })}
        linger('identify', 'max', { displayName: 'Max' }, { userHash: 'h' });
        linger('group', 'acme', {}, { groupHash: 'g' });
        linger.on('ready', () => (window.lingerReady = true));`,
    }),
  )

type Row = { rank: number; name: string; points: number; badges: number; you: boolean }

/**
 * The collector's leaderboard for this context: `answer(n)` gives the rows for the n-th look
 * (0 the first), or 'offline' for a network that is gone. `asked` counts the looks.
 */
async function serveBoard(context: BrowserContext, answer: (n: number) => Row[] | 'offline' | Promise<Row[] | 'offline'>) {
  const board = { asked: 0 }
  await context.route(`${suite.collector.url}/v1/leaderboard*`, async (route) => {
    const rows = await answer(board.asked++)
    if (rows === 'offline') return route.abort('internetdisconnected')
    await route.fulfill({ status: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ ok: true, optedOut: null, rows }) })
  })
  return board
}

describe('the badge toast, keyboard only, with another Linger surface before it in Tab order', () => {
  /**
   * A page with an Export button, another Linger surface after it (its host takes no focus; its
   * "Open" would open its panel, counted in `opened`), and a badge earned: its toast is up.
   */
  async function earnBesideAnother(path: string) {
    const { page } = await suite.open(
      path,
      suite.hostPage({
        body: '<main><button id="export">Export</button></main>',
        script: `${suite.initScript({ flows })}
          linger.on('ready', () => (window.lingerReady = true));`,
      }),
    )
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => {
      const other = document.body.appendChild(document.createElement('linger-other'))
      other.setAttribute('data-linger', 'other')
      other.attachShadow({ mode: 'open' }).innerHTML = '<button aria-label="Open">What’s new</button>'
      ;(window as any).opened = 0
      other.shadowRoot!.querySelector('button')!.addEventListener('click', () => (window as any).opened++)
    })
    await page.evaluate(() => { for (let i = 0; i < 10; i++) (window as any).linger.track('Report Exported') })
    await page.getByRole('button', { name: 'View badges' }).waitFor()
    return page
  }
  /** Tab from the other surface's "Open" to "View badges", Enter, then Escape closes the shelf. */
  async function viewAndClose(page: Page) {
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('BUTTON')
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('linger-badge-toast')
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'Your badges' }).waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog', { name: 'Your badges' }).count()).toBe(0)
    // The toast, its work done, is gone.
    await expect.poll(() => page.getByRole('button', { name: 'View badges' }).count()).toBe(0)
  }

  it('Tabbed to from the page\'s Export through the other surface, "View badges" then Escape puts them back on Export, not on the other surface\'s "Open"', async () => {
    const page = await earnBesideAnother('/toast-through-another-surface')
    await page.focus('#export')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('BUTTON Open')
    await viewAndClose(page)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('export')
    // Their next Enter is the page's Export, not the other surface's Open.
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).opened)).toBe(0)
  })

  it('reached from that surface with nothing of the page before it (Shift+Tab from the page\'s start), Escape leaves them on no Linger control: the next Enter opens nothing', async () => {
    const page = await earnBesideAnother('/toast-from-another-surface')
    await page.locator('linger-other').locator('button').focus()
    await viewAndClose(page)
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as any).opened)).toBe(0)
  })
})

describe('the badges shelf, keyboard only', () => {
  it('opened from the page\'s own Badges button, Escape puts focus back on that button, every time', async () => {
    const { page } = await openAsMax('/shelf-from-host-button')
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => document.querySelector('#open')!.addEventListener('click', () => (window as any).linger.show('badges')))
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    for (let i = 0; i < 5; i++) {
      await page.locator('#open').focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.evaluate(() => document.activeElement?.localName)).toBe('linger-badge-shelf')
      await page.keyboard.press('Escape')
      await expect.poll(() => shelf.count()).toBe(0)
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('open')
    }
  })
})

/** Once ready: the shelf opened, and Space on its leaderboard switch (to leave the board). */
async function leaveBoardByKeyboard(page: Page) {
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.show('badges'))
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    const toggle = shelf.getByRole('checkbox', { name: 'Show me on the leaderboard' })
    await toggle.waitFor()
    await toggle.focus()
    await page.keyboard.press('Space')
  return { shelf, toggle }
}

describe('the leaderboard in the badges shelf, in Chromium', () => {
  it('a keyboard user who leaves the leaderboard keeps focus on the switch while the choice is saved, and Escape still closes the shelf', async () => {
    const { page, context } = await openAsMax('/board-keyboard')
    // The collector's board: the first look answers at once, the choice takes a moment.
    const board = await serveBoard(context, async (n) => {
      if (n) await new Promise((r) => setTimeout(r, 1500))
      return [
        { rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false },
        { rank: 2, name: 'Max', points: 30, badges: 1, you: true },
      ]
    })
    const { shelf, toggle } = await leaveBoardByKeyboard(page)
    // While the choice is on its way, and once it is saved, focus stays where the user is.
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('INPUT Show me on the leaderboard')
    await expect.poll(() => toggle.isChecked()).toBe(false)
    await expect.poll(() => board.asked).toBe(2)
    await page.waitForTimeout(1700)
    expect(await focused(page)).toBe('INPUT Show me on the leaderboard')
    expect(await shelf.getByRole('listitem').filter({ hasText: 'Lea M.' }).textContent()).toMatch(/^1/)
    await page.keyboard.press('Escape')
    await expect.poll(() => shelf.count()).toBe(0)
  })
})

describe('the leaderboard for a visitor who signs in with the shelf open, in Chromium', () => {
  it('the board of their team appears as their sign-in and account come, without closing and opening the shelf again', async () => {
    const { page, context } = await suite.open(
      '/board-sign-in',
      suite.hostPage({ script: `${suite.initScript({ flows })}
        linger.on('ready', () => (window.lingerReady = true));` }),
    )
    await serveBoard(context, () => [
      { rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false },
      { rank: 2, name: 'Max', points: 0, badges: 0, you: true },
    ])
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.show('badges'))
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    await shelf.waitFor()
    // A visitor has no team: no board.
    expect(await shelf.getByRole('region', { name: 'Your team' }).count()).toBe(0)
    // The app signs them in (its login in a panel beside the shelf, or a sign-up finished in another tab).
    await page.evaluate(() => {
      const linger = (window as any).linger
      linger('identify', 'max', { displayName: 'Max' }, { userHash: 'h' })
      linger('group', 'acme', {}, { groupHash: 'g' })
    })
    await expect.poll(() => shelf.getByRole('region', { name: 'Your team' }).getByRole('listitem').allTextContents()).toEqual(['1Lea M.60 points', '2You0 points'])
  })
})

describe('the leaderboard just after a badge, in Chromium', () => {
  it('"View badges" right after earning one: the user\'s row on the board says the points the shelf says, and ranks them by them', async () => {
    // The demo: Sam exports a 10th report, presses "View badges": "Level: Newcomer · 50 points"
    // above, "1 You 20 points" below. The Badge Earned was still in the queue: the collector's
    // board had not heard of it.
    const { page, context } = await openAsMax('/board-fresh')
    await serveBoard(context, () => [
      { rank: 1, name: 'Lea M.', points: 20, badges: 1, you: false },
      { rank: 2, name: 'Max', points: 0, badges: 0, you: true },
    ])
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => { for (let i = 0; i < 10; i++) (window as any).linger.track('Report Exported') })
    await page.getByRole('button', { name: 'View badges' }).click()
    const shelf = page.getByRole('dialog', { name: 'Your badges' })
    const board = shelf.getByRole('region', { name: 'Your team' }).getByRole('listitem')
    await board.first().waitFor()
    expect(await shelf.getByText('Level: Newcomer · 30 points').count()).toBe(1)
    expect(await board.allTextContents()).toEqual(['1You30 points', '2Lea M.20 points'])
  })
})

describe('the leaderboard offline, in Chromium', () => {
  it('a keyboard user who leaves the leaderboard while the collector cannot be reached keeps the board and the switch under focus, off, without their row', async () => {
    const { page, context } = await openAsMax('/board-offline')
    // The first look is answered; then the network is gone.
    const board = await serveBoard(context, (n) =>
      n
        ? 'offline'
        : [
            { rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false },
            { rank: 2, name: 'Max', points: 30, badges: 1, you: true },
            { rank: 3, name: 'Sam', points: 10, badges: 1, you: false },
          ],
    )
    const { shelf, toggle } = await leaveBoardByKeyboard(page)
    await expect.poll(() => board.asked).toBe(2)
    // Off the board at once, Sam moved up to 2 (the choice waits in the queue for the network).
    await expect.poll(() => shelf.getByRole('region', { name: 'Your team' }).getByRole('listitem').allTextContents()).toEqual(['1Lea M.60 points', '2Sam10 points'])
    expect(await focused(page)).toBe('INPUT Show me on the leaderboard')
    expect(await toggle.isChecked()).toBe(false)
  })
})

describe('the badge toast on a phone, in Chromium', () => {
  it('at 320 px, a badge earned while the user types in the search field at the top neither covers the field nor counts down nor is announced; it comes, in full, once they leave the field', async () => {
    const finder = { version: 1, settings: { cooldownDays: 0 }, badges: [{ id: 'finder', title: 'Finder', points: 10, rule: { event: 'Searched', count: { gte: 1 } } }], levels: [{ name: 'Newcomer', points: 0 }] }
    // Every text the live region says, as it says it (it clears itself after a while).
    const script = `${suite.initScript({ flows: finder })}
      window.__said = [];
      setInterval(function () { var l = document.querySelector('linger-live'); var t = l && l.shadowRoot.textContent; if (t && __said.indexOf(t) < 0) __said.push(t) }, 50);
      document.addEventListener('input', function () { linger.track('Searched') });
      linger.on('ready', () => (window.lingerReady = true));`
    const body = '<header style="padding:8px"><input id="q" type="search" aria-label="Search" style="width:100%;box-sizing:border-box;height:36px"></header><main><p>Results</p><button id="other">Other</button></main>'
    const context = await suite.browser.newContext({ viewport: { width: 320, height: 568 }, reducedMotion: 'no-preference' })
    const { page } = await suite.open('/toast-typing', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('#q').click()
    await page.keyboard.type('quarterly', { delay: 50 })
    const toast = page.locator('linger-badge-toast aside')
    await toast.waitFor({ state: 'attached' })
    const said = () => page.evaluate(() => ((window as any).__said as string[]).join(' | '))
    /** Whether the toast shows, and whether any of it is over the field the user types in. */
    const look = () =>
      page.evaluate(() => {
        const aside = document.querySelector('linger-badge-toast')!.shadowRoot!.querySelector('aside')!
        const a = aside.getBoundingClientRect()
        const f = document.querySelector('#q')!.getBoundingClientRect()
        const shown = aside.checkVisibility({ visibilityProperty: true, opacityProperty: true } as CheckVisibilityOptions)
        return { shown, over: shown && a.left < f.right && f.left < a.right && a.top < f.bottom && f.top < a.bottom }
      })
    // While they type, and for longer than a toast stays up, with focus still in the field.
    for (let i = 0; i < 3; i++) {
      await page.keyboard.type(' q', { delay: 50 })
      await page.waitForTimeout(2500)
      const now = await look()
      expect(now.over).toBe(false)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('q')
      if (!now.shown) expect(await said()).not.toContain('Badge earned: Finder')
    }
    expect(await page.locator('#q').inputValue()).toBe('quarterly q q q')
    // They leave the field: the toast is there, announced, for its full time (none went by unseen).
    await page.keyboard.press('Tab')
    await expect.poll(async () => (await look()).shown).toBe(true)
    await expect.poll(said).toContain('Badge earned: Finder')
    await page.waitForTimeout(3000)
    expect((await look()).shown).toBe(true)
    expect(await toast.getByText('Finder').count()).toBe(1)
  })

  it('at 320 px, a user who goes into the search field under a toast already up sees what they type: the toast steps back, and returns when they leave', async () => {
    const finder = { version: 1, settings: { cooldownDays: 0 }, badges: [{ id: 'finder', title: 'Finder', points: 10, rule: { event: 'Found', count: { gte: 1 } } }], levels: [{ name: 'Newcomer', points: 0 }] }
    const script = `${suite.initScript({ flows: finder })}
      linger.on('ready', () => (window.lingerReady = true));`
    // A field at the top of the page, not in a fixed bar: the toast stacks past a host's fixed bar.
    const body = '<header style="padding:8px 0"><input id="q" type="search" aria-label="Search" style="width:100%;box-sizing:border-box;height:36px"></header><main><button id="find">Find</button></main>'
    const context = await suite.browser.newContext({ viewport: { width: 320, height: 568 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/toast-then-typing', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.track('Found'))
    const shown = () => page.locator('linger-badge-toast aside').evaluate((el) => el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions))
    await expect.poll(shown).toBe(true)
    // The start of the field peeks out from under the toast: they click there and type.
    const field = (await page.locator('#q').boundingBox())!
    const over = (await page.locator('linger-badge-toast aside').boundingBox())!
    expect(over.y).toBeLessThan(field.y + field.height)
    await page.mouse.click((field.x + over.x) / 2, field.y + field.height / 2)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q')
    await page.keyboard.type('inv', { delay: 50 })
    expect(await shown()).toBe(false)
    expect(await page.evaluate(() => document.elementFromPoint(200, 26)?.id)).toBe('q')
    // Tab takes them to the page's Find button, under the toast too: it stays back while the
    // button has focus (the focused control is never hidden under Linger, WCAG 2.4.11).
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('find')
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    const find = (await page.locator('#find').boundingBox())!
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.id, [find.x + find.width / 2, find.y + find.height / 2])).toBe('find')
    // They leave for the page below: the toast is back.
    await page.mouse.click(160, 400)
    await expect.poll(shown).toBe(true)
  })

  it('a toast waiting unseen over the field takes no room: a survey the vendor opens in the same corner sits at the edge, and moves down only once the toast shows', async () => {
    const both = {
      version: 1,
      settings: { cooldownDays: 0 },
      badges: [{ id: 'finder', title: 'Finder', points: 10, rule: { event: 'Searched', count: { gte: 1 } } }],
      levels: [{ name: 'Newcomer', points: 0 }],
      surveys: [{ id: 'pulse', kind: 'csat', question: 'How easy was search?', placement: 'top-right' }],
    }
    const script = `${suite.initScript({ flows: both })}
      document.addEventListener('input', function () { linger.track('Searched') });
      linger.on('ready', () => (window.lingerReady = true));`
    const body = '<header style="padding:8px"><input id="q" type="search" aria-label="Search" style="width:100%;box-sizing:border-box;height:36px"></header><main><p>Results</p></main>'
    const context = await suite.browser.newContext({ viewport: { width: 1024, height: 720 }, reducedMotion: 'reduce' })
    const { page } = await suite.open('/toast-room', suite.hostPage({ body, script }), context)
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.locator('#q').click()
    await page.keyboard.type('quarterly', { delay: 50 })
    const toast = page.locator('linger-badge-toast aside')
    await toast.waitFor({ state: 'attached' })
    const shown = () => toast.evaluate((el) => el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions))
    expect(await shown()).toBe(false)
    await page.evaluate(() => (window as any).linger.show('pulse'))
    const survey = page.locator('linger-survey [role="dialog"]')
    await survey.waitFor({ state: 'attached' })
    // Nothing the user can see is above it: it sits at the corner's margin, not below a blank gap.
    // Over the end of the field they are typing in, it waits unseen too, until they leave it.
    await expect.poll(() => survey.evaluate((el) => el.getBoundingClientRect().y)).toBe(16)
    expect(await survey.isVisible()).toBe(false)
    // They leave the field: the toast shows, nearest the edge, and the survey moves below it.
    await page.keyboard.press('Tab')
    await expect.poll(shown).toBe(true)
    await expect.poll(() => survey.isVisible()).toBe(true)
    await expect
      .poll(async () => {
        const [t, s] = [(await toast.boundingBox())!, (await survey.boundingBox())!]
        return t.y + t.height <= s.y
      })
      .toBe(true)
  })
})

describe('the badge toast right to left, in Chromium', () => {
  it('in Arabic, the toast mirrors the English one: the close button sits as far from the left edge as it does from the right edge in English, and the icon as far from the right', async () => {
    const finder = { version: 1, settings: { cooldownDays: 0 }, badges: [{ id: 'finder', title: 'Finder', points: 10, rule: { event: 'Found', count: { gte: 1 } } }], levels: [{ name: 'Newcomer', points: 0 }] }
    /** Gaps (px) from the toast's inline-start edge to its icon, and from its close button to its inline-end edge. */
    const gaps = async (locale: string) => {
      const script = `${suite.initScript({ flows: finder, locale })}
        linger.on('ready', () => (window.lingerReady = true));`
      const { page } = await suite.open(`/toast-${locale}`, suite.hostPage({ body: '<main><p>Reports</p></main>', script }))
      await page.waitForFunction(() => (window as any).lingerReady === true)
      await page.evaluate(() => (window as any).linger.track('Found'))
      const toast = page.locator('linger-badge-toast aside')
      await toast.getByText('Finder').waitFor()
      return toast.evaluate((aside) => {
        const rtl = getComputedStyle(aside).direction === 'rtl'
        const a = aside.getBoundingClientRect()
        const icon = aside.querySelector('.icon')!.getBoundingClientRect()
        const close = aside.querySelector(':scope > button')!.getBoundingClientRect()
        return rtl ? { rtl, start: a.right - icon.right, end: close.left - a.left } : { rtl, start: icon.left - a.left, end: a.right - close.right }
      })
    }
    const ltr = await gaps('en')
    const rtl = await gaps('ar')
    expect(ltr.rtl).toBe(false)
    expect(rtl).toEqual({ ...ltr, rtl: true })
  })
})

describe('the vendor’s English names in Arabic chrome, in Chromium', () => {
  it('an Arabic browser on an English app: the toast and the shelf read "Report pro!", not "!Report pro", for the badge, its description, the level and a teammate', async () => {
    const english = {
      version: 1,
      settings: { cooldownDays: 0, leaderboard: true },
      badges: [{ id: 'finder', title: 'Report pro!', description: 'Exported a report.', points: 10, rule: { event: 'Found', count: { gte: 1 } } }],
      levels: [
        { name: 'Newcomer', points: 0 },
        { name: 'Level 2!', points: 10 },
      ],
    }
    // The default locale ("auto") follows the browser: Arabic chrome around the vendor's English text.
    const context = await suite.browser.newContext({ locale: 'ar' })
    try {
      const script = `${suite.initScript({ flows: english })}
        linger('identify', 'max', { displayName: 'Max' }, { userHash: 'h' });
        linger('group', 'acme', {}, { groupHash: 'g' });
        linger.on('ready', () => (window.lingerReady = true));`
      await serveBoard(context, () => [{ rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false }])
      const { page } = await suite.open('/arabic-badges', suite.hostPage({ body: '<main><p>Reports</p></main>', script }), context)
      await page.waitForFunction(() => (window as any).lingerReady === true)
      await page.evaluate(() => (window as any).linger.track('Found'))
      /** Whether the text's last mark is drawn after (to the right of) the letter before it, as in English. */
      const inOrder = (el: Element, text: string) => {
        const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent!.includes(text))!
        const at = node.textContent!.indexOf(text) + text.length - 1
        const glyph = (i: number) => {
          const range = el.ownerDocument.createRange()
          range.setStart(node, i)
          range.setEnd(node, i + 1)
          return range.getBoundingClientRect()
        }
        return glyph(at).left >= glyph(at - 1).right - 1
      }
      const toast = page.locator('linger-badge-toast aside')
      const name = toast.locator('.name')
      await name.getByText('Report pro!').waitFor()
      expect(await toast.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
      expect(await name.evaluate(inOrder, 'Report pro!')).toBe(true)
      await toast.locator(':scope > button').click()
      await name.getByText('Level 2!').waitFor()
      expect(await name.evaluate(inOrder, 'Level 2!')).toBe(true)
      await page.evaluate(() => (window as any).linger.show('badges'))
      const shelf = page.locator('linger-badge-shelf .shelf')
      await shelf.waitFor()
      expect(await shelf.locator('h3').evaluate(inOrder, 'Report pro!')).toBe(true)
      expect(await shelf.locator('li p').first().evaluate(inOrder, 'Exported a report.')).toBe(true)
      const teammate = shelf.locator('.who').getByText('Lea M.')
      await teammate.waitFor()
      expect(await teammate.evaluate(inOrder, 'Lea M.')).toBe(true)
    } finally {
      await context.close()
    }
  })
})

describe('the leaderboard switch, by pointer, in Chromium', () => {
  it('the "Show me on the leaderboard" checkbox is a 24×24 px target at least (WCAG 2.5.8): its label takes the press, to its corners, and the box is drawn as before', async () => {
    const { page, context } = await openAsMax('/board-target')
    await serveBoard(context, () => [{ rank: 1, name: 'Max', points: 30, badges: 1, you: true }])
    await page.waitForFunction(() => (window as any).lingerReady === true)
    await page.evaluate(() => (window as any).linger.show('badges'))
    const toggle = page.getByRole('dialog', { name: 'Your badges' }).getByRole('checkbox', { name: 'Show me on the leaderboard' })
    await toggle.waitFor()
    const measured = await toggle.evaluate((box) => {
      const label = box.closest('label')!
      const r = label.getBoundingClientRect()
      const root = box.getRootNode() as ShadowRoot
      // What a press lands on at each corner of the label's box, 1 px in.
      const corners = [
        [r.left + 1, r.top + 1],
        [r.right - 1, r.top + 1],
        [r.left + 1, r.bottom - 1],
        [r.right - 1, r.bottom - 1],
      ].map(([x, y]) => root.elementFromPoint(x, y)?.closest('label') === label)
      const b = box.getBoundingClientRect()
      return { width: r.width, height: r.height, corners, box: [b.width, b.height], labelOf: (box as HTMLInputElement).labels?.[0] === label }
    })
    expect(measured.labelOf).toBe(true)
    expect(measured.width).toBeGreaterThanOrEqual(24)
    expect(measured.height).toBeGreaterThanOrEqual(24)
    expect(measured.corners).toEqual([true, true, true, true])
    expect(measured.box).toEqual([13, 13])
  })
})
