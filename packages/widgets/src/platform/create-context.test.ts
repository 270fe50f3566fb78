// @vitest-environment jsdom
import { atom } from 'nanostores'
import { describe, expect, it, vi } from 'vitest'
import type { Linger } from '@linger/sdk'
import { buildPlatform, createWidgetPlatform } from './create-context'
import { messages as en } from './messages/en'
import { BASE_CSS } from './base-css'
import { fontVariants } from './font-variants'

describe('preparing a widget at idle', () => {
  it('lays out every emoji and non-Latin character the flows could show, in each size and weight the widget uses, off screen, so the first render does not hunt for fonts', async () => {
    const flows = atom({
      version: 1,
      badges: [{ id: 'first', title: 'Première tâche', icon: '🏁', rule: { event: 'Task Created' } }],
      surveys: [{ id: 'ease', kind: 'ces', question: '使いやすいですか', trigger: { event: 'Report Exported' } }],
    })
    const linger = { host: { options: {}, flows, reportError: () => {} } } as unknown as Linger
    const platform = buildPlatform(linger, { locale: 'fr' }, en, en)
    const laidOut: string[] = []
    const fonts: string[] = []
    const observer = new MutationObserver((records) =>
      records.forEach((r) =>
        r.addedNodes.forEach((n) => {
          const root = (n as Element).shadowRoot
          laidOut.push(root?.textContent ?? '')
          root?.querySelectorAll('span').forEach((s) => s.textContent?.includes('🏁') && fonts.push(`${s.style.fontWeight} ${s.style.fontSize}`))
        }),
      ),
    )
    observer.observe(document.body, { childList: true })

    platform.prepare('.icon{font-size:28px}.name{font-weight:600;font-size:15px}')
    await new Promise((r) => setTimeout(r))
    observer.disconnect()

    expect(laidOut).toHaveLength(1)
    for (const character of ['🏁', 'è', 'â', '使', 'す']) expect(laidOut[0]).toContain(character)
    // The browser keeps a font per size and weight: the badge's 28px icon and 600 title among them.
    expect(fonts).toEqual(expect.arrayContaining(['400 28px', '600 15px', '600 28px', '700 1em']))
    // Built and removed in the same task: nothing is left on the page.
    expect(document.querySelector('[data-linger]')).toBeNull()
    platform.dispose()
  })
  it('with little idle time left, lays out one piece per call, each surface gone before the call returns', async () => {
    const flows = atom({ version: 1, badges: [{ id: 'first', title: 'Première', icon: '🏁', rule: { event: 'Task Created' } }] })
    const linger = { host: { options: {}, flows, reportError: () => {} } } as unknown as Linger
    const platform = buildPlatform(linger, { locale: 'en' }, en, en)
    const css = '.icon{font-size:28px}'
    // 400 and 700, each at 1em and 28px; base CSS sizes and weights come on top.
    const calls: boolean[] = []
    let done = false
    while (!done && calls.length < 100) {
      done = platform.prepare(css, () => 0)
      calls.push(done)
      expect(document.querySelector('[data-linger]')).toBeNull()
    }
    // The surface alone first (its sheets, the first popover), then one font per call.
    const pieces = 1 + fontVariants(BASE_CSS + css).length
    expect(pieces).toBeGreaterThanOrEqual(5)
    expect(calls).toEqual([...Array(pieces - 1).fill(false), true])
    // Once all of it is laid out, a later call has nothing left to do.
    expect(platform.prepare(css, () => 0)).toBe(true)
    // Another widget: its own surface, and only the fonts no widget before it asked for (12px in
    // each weight: 400, bold, the buttons' 600), all in one call with the idle time to spare.
    const appended: number[] = []
    const observer = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => appended.push((n as Element).shadowRoot!.querySelectorAll('span').length))))
    observer.observe(document.body, { childList: true })
    expect(platform.prepare('.kicker{font-size:12px}', () => 1)).toBe(true)
    await new Promise((r) => setTimeout(r))
    observer.disconnect()
    expect(appended).toEqual([3])
    platform.dispose()
  })
})

describe('two Linger modals open at once', () => {
  it('the first one closing under the second leaves the page out of reach behind the second, and all of it back once that one closes', () => {
    document.body.innerHTML = '<main id="app"><button>Upgrade</button></main><nav id="nav"></nav>'
    const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
    const platform = buildPlatform(linger, { locale: 'en' }, en, en)
    const { ctx } = platform.contextFor('test', () => {})
    const pageInert = () => ['app', 'nav'].filter((id) => document.getElementById(id)!.hasAttribute('inert'))
    // A "what's new" modal, then a billing wall over it; the announcement is withdrawn meanwhile.
    const announcement = ctx.surface('announcement', '', 'modal')
    const wall = ctx.surface('wall', '', 'modal')
    announcement.remove()
    expect(pageInert()).toEqual(['app', 'nav'])
    wall.remove()
    expect(pageInert()).toEqual([])
    expect(document.querySelectorAll('[inert]')).toHaveLength(0)
    platform.dispose()
    document.body.replaceChildren()
  })
})

describe('an app that unmounts Linger and mounts it again (the user signed out, the next one in)', () => {
  it("the next user's screen reader hears only what is theirs, nothing the last user's widgets had yet to say", () => {
    vi.useFakeTimers()
    try {
      const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
      const bobs = buildPlatform(linger, { locale: 'en' }, en, en)
      bobs.contextFor('badges', () => {}).ctx.announce('Badge earned: Night owl')
      // Bob signs out in the same moment: the app unmounts his widgets before it was said.
      bobs.dispose()
      const anns = buildPlatform(linger, { locale: 'en' }, en, en)
      anns.contextFor('checklist', () => {}).ctx.announce('Task completed: Invite a teammate')
      vi.advanceTimersByTime(100)
      const said = [...document.querySelectorAll('[data-linger=live]')].map((h) => h.shadowRoot!.querySelector('[role=status]')!.textContent)
      expect(said).toEqual(['Task completed: Invite a teammate'])
      anns.dispose()
    } finally {
      vi.useRealTimers()
      document.body.replaceChildren()
    }
  })
})

describe('a language written as Java and PHP apps write it', () => {
  it('an app that passes its page\'s language (`ar_EG`, `pt_BR`) gets surfaces in that language as browsers and screen readers read it (`ar-EG`): Arabic words, right to left', async () => {
    const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
    const seen: Array<[string | null, string | null, string]> = []
    for (const locale of ['ar_EG', 'pt_BR']) {
      const platform = await createWidgetPlatform(linger, { locale })
      const { hostEl } = platform.contextFor('test', () => {}).ctx.surface('card', '')
      seen.push([hostEl.getAttribute('lang'), hostEl.getAttribute('dir'), platform.locale])
      platform.dispose()
    }
    // Numbers and dates as written in Egypt; Portuguese (no catalog) in English as the browser's (jsdom: en-US).
    expect(seen).toEqual([
      ['ar-EG', 'rtl', 'ar-EG'],
      ['pt-BR', 'ltr', 'en-US'],
    ])
  })
})

describe('a vendor who asks for a bare language', () => {
  it('a user in Taiwan of an app set to "zh" gets surfaces marked zh-TW (Traditional glyphs, a Taiwanese voice), one in Germany of an app set to "zh" keeps "zh"', async () => {
    const linger = { host: { options: {}, flows: atom({ version: 1 }), reportError: () => {} } } as unknown as Linger
    const seen: Array<string | null> = []
    for (const languages of [['zh-TW', 'en'], ['de-DE', 'en']]) {
      Object.defineProperty(window.navigator, 'languages', { value: languages, configurable: true })
      try {
        const platform = await createWidgetPlatform(linger, { locale: 'zh' })
        seen.push(platform.contextFor('test', () => {}).ctx.surface('card', '').hostEl.getAttribute('lang'))
        platform.dispose()
      } finally {
        delete (window.navigator as { languages?: unknown }).languages
      }
    }
    expect(seen).toEqual(['zh-TW', 'zh'])
  })
})
