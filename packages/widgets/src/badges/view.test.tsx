// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { WritableAtom } from 'nanostores'
import type { Flows } from '../../../sdk/src/config/flows-schema'
import { Board, Shelf, ToastView, withMine } from './view'
import { shelfCss } from './styles'
import { messages as english } from '../platform/messages/en'
import { messages } from './messages-en'

// As render() does when the chunk loads: its English texts join the catalog.
Object.assign(english, messages)
import { setup } from '../checklist/test-setup'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

/** The modal closed (`el` no longer inert): the toast is seen for its full 6 s, then goes. */
async function seenForFullTimeOnceOut(el: HTMLElement) {
  el.removeAttribute('inert')
  await act(() => Promise.resolve())
  act(() => void vi.advanceTimersByTime(5_000))
  expect(el.querySelector('aside')).not.toBeNull()
  act(() => void vi.advanceTimersByTime(1_000))
  expect(el.querySelector('aside')).toBeNull()
}

describe('badge toast', () => {
  it('announces an earned badge and dismisses itself after a while, unless the pointer moves over it or it has focus', () => {
    vi.useFakeTimers()
    const s = setup()
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
    act(() => {
      for (let i = 0; i < 10; i++) s.track('Report Exported')
    })
    const toast = screen.getByRole('complementary', { name: 'Badge earned' })
    expect(toast.textContent).toContain('Report pro')
    expect(s.ctx.announced).toEqual(['Badge earned: Report pro'])
    fireEvent.pointerMove(toast)
    act(() => void vi.advanceTimersByTime(10_000))
    expect(screen.queryByRole('complementary')).not.toBeNull()
    fireEvent.mouseLeave(toast)
    act(() => void vi.advanceTimersByTime(6_000))
    expect(screen.queryByRole('complementary')).toBeNull()
  })

  /** A badge just earned (ten exports): its toast, and a control of the page focus can move to. */
  function earnedToast() {
    vi.useFakeTimers()
    const s = setup()
    const page = document.body.appendChild(document.createElement('button'))
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
    act(() => {
      for (let i = 0; i < 10; i++) s.track('Report Exported')
    })
    return { page, toast: screen.getByRole('complementary', { name: 'Badge earned' }) }
  }

  it('a keyboard user reading the toast keeps it while a mouse crosses it and leaves: the button they are on does not vanish under them', () => {
    const { page, toast } = earnedToast()
    const view = screen.getByRole('button', { name: 'View badges' })
    act(() => view.focus())
    fireEvent.pointerMove(toast)
    fireEvent.mouseLeave(toast)
    act(() => void vi.advanceTimersByTime(10_000))
    expect(document.activeElement).toBe(view)
    // Once focus has left as well, it gets its time again.
    act(() => page.focus())
    act(() => void vi.advanceTimersByTime(6_000))
    expect(screen.queryByRole('complementary')).toBeNull()
    page.remove()
  })

  it('a mouse user reading the toast keeps it when keyboard focus leaves it, until the pointer leaves too', () => {
    const { page, toast } = earnedToast()
    fireEvent.pointerMove(toast)
    act(() => screen.getByRole('button', { name: 'View badges' }).focus())
    act(() => page.focus())
    act(() => void vi.advanceTimersByTime(10_000))
    expect(screen.queryByRole('complementary')).not.toBeNull()
    fireEvent.mouseLeave(toast)
    act(() => void vi.advanceTimersByTime(6_000))
    expect(screen.queryByRole('complementary')).toBeNull()
    page.remove()
  })

  it('is not held by a cursor that merely rests where it appeared (the user clicked there, then waits)', () => {
    vi.useFakeTimers()
    const s = setup()
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
    act(() => {
      for (let i = 0; i < 10; i++) s.track('Report Exported')
    })
    fireEvent.mouseEnter(screen.getByRole('complementary', { name: 'Badge earned' }))
    act(() => void vi.advanceTimersByTime(6_000))
    expect(screen.queryByRole('complementary')).toBeNull()
  })

  it('come while a modal is open, it waits behind it unseen, and its time starts once the modal is gone', async () => {
    vi.useFakeTimers()
    const s = setup()
    // What create-context.ts does with a surface that comes while a modal is open.
    const behind = document.createElement('div')
    behind.setAttribute('inert', '')
    document.body.append(behind)
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />, { container: behind })
    act(() => {
      for (let i = 0; i < 10; i++) s.track('Report Exported')
    })
    act(() => void vi.advanceTimersByTime(60_000))
    expect(behind.querySelector('aside')?.textContent).toContain('Report pro')
    // Not heard from behind the modal either: said once it can be seen.
    expect(s.ctx.announced).toEqual([])
    await seenForFullTimeOnceOut(behind)
    expect(s.ctx.announced).toEqual(['Badge earned: Report pro'])
    behind.remove()
  })

  // What inert.ts does to everything outside a modal that opens now: on the page, the toast's
  // top-level element; in a container the modal shares (the `container` option), its own box.
  for (const where of ['on the page', 'in a container the modal shares'])
    it(`up when a modal opens (${where}), it stops behind it, unseen, and gets its full time once the modal is gone`, async () => {
      vi.useFakeTimers()
      const s = setup()
      const top = document.createElement('div')
      const own = where === 'on the page' ? top : top.appendChild(document.createElement('div'))
      document.body.append(top)
      render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />, { container: own })
      act(() => {
        for (let i = 0; i < 10; i++) s.track('Report Exported')
      })
      act(() => void vi.advanceTimersByTime(4_000))
      own.setAttribute('inert', '')
      await act(() => Promise.resolve())
      act(() => void vi.advanceTimersByTime(60_000))
      expect(own.querySelector('aside')?.textContent).toContain('Report pro')
      await seenForFullTimeOnceOut(own)
      top.remove()
    })

  it('earned while the tab is in the background (a job the app tracks finished), it waits unseen and unsaid, and gets its full time once the user is back', () => {
    vi.useFakeTimers()
    const s = setup()
    const visibility = (state: 'hidden' | 'visible') => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }
    visibility('hidden')
    try {
      render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
      act(() => {
        for (let i = 0; i < 10; i++) s.track('Report Exported')
      })
      act(() => void vi.advanceTimersByTime(60_000))
      expect(screen.getByRole('complementary', { name: 'Badge earned' }).textContent).toContain('Report pro')
      expect(s.ctx.announced).toEqual([])
      act(() => visibility('visible'))
      expect(s.ctx.announced).toEqual(['Badge earned: Report pro'])
      act(() => void vi.advanceTimersByTime(5_000))
      expect(screen.queryByRole('complementary')).not.toBeNull()
      act(() => void vi.advanceTimersByTime(1_000))
      expect(screen.queryByRole('complementary')).toBeNull()
    } finally {
      delete (document as { visibilityState?: string }).visibilityState
    }
  })

  it('is dismissed with its button or Escape, and shows the next earning after', () => {
    const s = setup()
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
    act(() => ['Signed In', 'Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported'].forEach((e) => s.track(e)))
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    const next = screen.getByRole('complementary', { name: 'Level reached' })
    expect(next.textContent).toContain('Regular')
    fireEvent.keyDown(next, { key: 'Escape' })
    expect(screen.queryByRole('complementary')).toBeNull()
  })

  it('dismissed by keyboard, it gives focus back to where the user came from, not to the top of the page', () => {
    const s = setup()
    const search = document.body.appendChild(document.createElement('input'))
    render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
    act(() => {
      for (let i = 0; i < 10; i++) s.track('Report Exported')
    })
    search.focus()
    const dismiss = screen.getByRole('button', { name: 'Dismiss' })
    act(() => dismiss.focus())
    fireEvent.click(dismiss, { detail: 0 })
    expect(screen.queryByRole('complementary')).toBeNull()
    expect(document.activeElement).toBe(search)
  })

  it("Escape on the toast closes the toast only, not the host's own drawer too", () => {
    const s = setup()
    const hostEscape = vi.fn()
    document.addEventListener('keydown', hostEscape)
    try {
      render(<ToastView ctx={s.ctx} controller={s.experiences.badges} />)
      act(() => ['Signed In', 'Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported'].forEach((e) => s.track(e)))
      fireEvent.keyDown(screen.getByRole('complementary'), { key: 'Escape' })
      fireEvent.keyDown(screen.getByRole('complementary'), { key: 'Escape' })
      expect(screen.queryByRole('complementary')).toBeNull()
      expect(hostEscape).not.toHaveBeenCalled()
    } finally {
      document.removeEventListener('keydown', hostEscape)
    }
  })
})

describe('the level toast', () => {
  it('shows the icon the vendor gave the level, as the shelf’s badges show theirs, not the same star for every level', () => {
    const s = setup({ ...exampleFlows, levels: exampleFlows.levels!.map((l) => (l.name === 'Regular' ? { ...l, icon: '🏅' } : l)) })
    // The corner stack is not what this is about: the toast docks nowhere.
    const ctx = { ...s.ctx, layout: { ...s.ctx.layout, dock: () => () => {} } }
    render(<ToastView ctx={ctx} controller={s.experiences.badges} />)
    act(() => ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported'].forEach((e) => s.track(e)))
    fireEvent.click(within(screen.getByRole('complementary', { name: 'Badge earned' })).getByRole('button', { name: 'Dismiss' }))
    const toast = screen.getByRole('complementary', { name: 'Level reached' })
    expect(toast.textContent).toContain('Regular')
    expect(toast.textContent).toContain('🏅')
  })
})

describe('badge shelf', () => {
  it('lists earned badges with their date and locked ones with progress', () => {
    const s = setup()
    act(() => {
      for (let i = 0; i < 7; i++) s.track('Report Exported')
      for (const f of ['a', 'b', 'c', 'd', 'e']) s.track('Feature Used', { feature: f })
    })
    render(<Shelf ctx={s.ctx} controller={s.experiences.badges} />)
    const dialog = screen.getByRole('dialog', { name: 'Your badges' })
    const item = (name: string) => within(dialog).getByRole('heading', { name }).closest('li')!.textContent
    // Earned at the fake clock's 10:00 UTC on 2 March: that day where the reader is ("Mar 2, 2026"
    // in UTC; the 3rd already in Kiritimati).
    const earned = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(Date.parse('2026-03-02T10:00:00Z'))
    expect(earned).toMatch(/^Mar [23], 2026$/)
    expect(item('Explorer')).toContain(`Earned ${earned}`)
    expect(item('Report pro')).toContain('7 of 10')
    expect(item('Onboarded')).toContain('1 of 4')
    // Explorer's 20 and the checklist's export task's 10
    expect(dialog.textContent).toContain('Level: Newcomer · 30 points')
    expect(dialog.textContent).toContain('30 points to Regular')
  })

  it('a user who keeps a level after losing points (the vendor cut a reward) sees an empty bar to the next level, not a full one', () => {
    const s = setup()
    act(() => ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported'].forEach((e) => s.track(e)))
    // Regular (60) reached with 100 points; the vendor then drops the checklist's reward of 50.
    const flows = s.host.flows.get()
    act(() => (s.host.flows as WritableAtom<Flows>).set({ ...flows, checklists: flows.checklists!.map((c) => ({ ...c, reward: { badge: 'onboarded' } })) }))
    render(<Shelf ctx={s.ctx} controller={s.experiences.badges} />)
    const dialog = screen.getByRole('dialog', { name: 'Your badges' })
    expect(dialog.textContent).toContain('Level: Regular · 50 points')
    const bar = within(dialog).getByRole('progressbar')
    // Nothing yet towards Power user: the bar is empty, and the value a screen reader hears is in its range.
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('0%')
    expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(Number(bar.getAttribute('aria-valuemin')))
  })

  it('opens for a user whose stored badges have `earned` left null (a hand edit, an old release), listing every badge as locked', () => {
    const s = setup()
    act(() => s.host.state.set('badges', { earned: null, points: 0, levelAt: 0, reached: 'Newcomer' }))
    render(<Shelf ctx={s.ctx} controller={s.experiences.badges} />)
    const dialog = screen.getByRole('dialog', { name: 'Your badges' })
    expect(within(dialog).getByRole('heading', { name: 'Report pro' }).closest('li')!.textContent).toContain('0 of 10')
  })

  it('closes on Escape', () => {
    const s = setup()
    act(() => s.experiences.badges.openShelf())
    render(<Shelf ctx={s.ctx} controller={s.experiences.badges} />)
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    expect(s.experiences.badges.$shelfOpen.get()).toBe(false)
  })
})

describe('the leaderboard in the shelf', () => {
  const rows = [
    { rank: 1, name: 'Lea M.', points: 60, badges: 2, you: false },
    { rank: 2, name: null, points: 40, badges: 1, you: false },
    { rank: 3, name: 'Max', points: 10, badges: 1, you: true },
  ]

  it('ranks the team with vendor names only, marks the user, and lets them leave it', async () => {
    const s = setup()
    const asked: Array<boolean | undefined> = []
    const controller = {
      ...s.experiences.badges,
      leaderboard: async (optOut?: boolean) => (asked.push(optOut), { ok: true as const, rows: optOut ? rows.filter((r) => !r.you) : rows, optedOut: optOut ? ('user' as const) : null }),
    }
    render(<Board ctx={s.ctx} controller={controller} />)
    const board = await screen.findByRole('region', { name: 'Your team' })
    expect(within(board).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1Lea M.60 points', '2Teammate40 points', '3You10 points'])
    const toggle = within(board).getByRole('checkbox', { name: 'Show me on the leaderboard' }) as HTMLInputElement
    expect(toggle.checked).toBe(true)
    await act(async () => void fireEvent.click(toggle))
    expect(asked).toEqual([undefined, true])
    expect(within(board).getAllByRole('listitem')).toHaveLength(2)
    expect((within(board).getByRole('checkbox') as HTMLInputElement).checked).toBe(false)
  })

  it('shows nothing to a user who is not verified or whose account opted out', async () => {
    const s = setup()
    for (const reason of ['not-verified', 'account-opted-out'] as const) {
      const { container } = render(<Board ctx={s.ctx} controller={{ ...s.experiences.badges, leaderboard: async () => ({ ok: false as const, reason }) }} />)
      await act(async () => {})
      expect(container.textContent).toBe('')
      cleanup()
    }
  })
})

describe('the user\'s own row, with points the collector has not heard of yet', () => {
  const row = (rank: number, name: string, points: number, you = false) => ({ rank, name, points, badges: 0, you })
  it('ties the teammates it reaches (a shared rank), and moves down one each it passes', () => {
    const rows = [row(1, 'Lea', 60), row(2, 'Kim', 30), row(3, 'Ola', 20), row(4, 'Max', 10, true)]
    expect(withMine(rows, 30).map((r) => [r.rank, r.name, r.points])).toEqual([
      [1, 'Lea', 60],
      [2, 'Max', 30],
      [2, 'Kim', 30],
      [4, 'Ola', 20],
    ])
  })
  it('below the top, it keeps its place below the rows it does not pass, and is left alone when the collector already counts as much', () => {
    const rows = [row(1, 'Lea', 60), row(2, 'Kim', 50), row(25, 'Max', 5, true)]
    expect(withMine(rows, 15).map((r) => [r.rank, r.name, r.points])).toEqual([
      [1, 'Lea', 60],
      [2, 'Kim', 50],
      [25, 'Max', 15],
    ])
    expect(withMine(rows, 5)).toBe(rows)
  })
})

describe('the badges shelf on a phone', () => {
  // Headless Chromium has no browser toolbar to show or hide, so this reads the rule itself: on a
  // phone `100vh` is the viewport with the toolbar hidden, and a shelf that tall had its top (the
  // close button) cut off.
  it('is never taller than the overlay it sits in, which is what is on screen, and scrolls inside', () => {
    const shelf = /\.shelf\{([^}]*)\}/.exec(shelfCss)![1]
    expect(shelf).toContain('max-height:100%')
    expect(shelf).toContain('overflow:auto')
    expect(shelf).not.toMatch(/vh/)
  })
})
