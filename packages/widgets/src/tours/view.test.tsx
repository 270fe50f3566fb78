// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Linger } from '@linger/sdk'
import type { Tour } from '../../../sdk/src/config/flows-schema'
import type { PageInfo } from '../../../sdk/src/platform'
import { createTestHost } from '../../../sdk/src/experiences/badges/test-host'
import { createTours } from '../../../sdk/src/experiences/tours'
import { createTestContext } from '../platform/test-context'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact'
import { render as renderNow } from 'preact'
import { TourList } from './view'

// jsdom has no layout: scrolling and hit-testing are no-ops here (Chromium tests cover them);
// scrolls are only counted.
let scrolls = 0
beforeAll(() => {
  Element.prototype.scrollIntoView = () => void scrolls++
  document.elementsFromPoint = () => []
  document.elementFromPoint = () => null
})
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

const tour: Tour = {
  id: 'export-tour',
  trigger: { event: 'Dashboard Viewed' },
  steps: [
    { id: 'open-reports', target: '#reports', title: 'Your reports live here', body: 'Every project gets a live status report.', placement: 'bottom' },
    { id: 'export-button', target: '#export', title: 'Export in one click', body: 'Send a CSV or PDF to your team.', advance: 'click' },
  ],
}
/** The same tour, its last step passed by Done rather than by a click on its target. */
const byNext: Tour = { ...tour, steps: [tour.steps[0], { ...tour.steps[1], advance: 'next' }] }
const hint: Tour = { id: 'hint', trigger: { event: 'Settings Viewed' }, steps: [{ id: 'slack', target: '#integrations', title: 'Connect Slack', beacon: true }] }

async function mount(tours: Tour[], opts: { locale?: string } = {}) {
  document.body.innerHTML = '<button id="reports">Reports</button><button id="export">Export</button><button id="integrations">Integrations</button><button id="before">Before</button>'
  const t = createTestHost({ tours })
  // A single-page app's route changes, as the client reports them.
  const pageFns = new Set<(p: PageInfo) => void>()
  t.host.onPage = (fn) => (pageFns.add(fn), () => void pageFns.delete(fn))
  const navigate = (hash: string) => {
    t.platform.setPage({ url: `https://app.example.com/${hash}`, hash })
    pageFns.forEach((fn) => fn(t.platform.page()))
  }
  const controller = createTours(t.host)
  const catalog = opts.locale === 'ar' ? (await import('../platform/messages/ar')).messages : undefined
  const ctx = createTestContext({ linger: { host: t.host } as Partial<Linger>, locale: opts.locale, catalog })
  render(<TourList ctx={ctx} tours={controller} />)
  return { ...t, ctx, controller, navigate, names: () => t.emitted.map((e) => e.event) }
}
const dialog = () => screen.getByRole('dialog')
const focused = () => document.activeElement?.shadowRoot?.activeElement ?? document.activeElement

describe('tour widget', () => {
  it('shows the step by its target: title, body, progress and Next, with focus in the dialog', async () => {
    const { controller } = await mount([tour])
    // Asked for (linger.show): one its trigger starts on its own leaves focus where it is.
    act(() => void controller.show!('export-tour'))
    expect(dialog().getAttribute('aria-labelledby')).toBe(screen.getByRole('heading').id)
    expect(screen.getByRole('dialog', { name: 'Your reports live here' }).textContent).toContain('Every project gets a live status report.')
    expect(screen.getByText('1 of 2')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull()
    expect(document.activeElement?.shadowRoot?.activeElement ?? document.activeElement).toBe(dialog())
  })

  it('a tour already started when its widget mounts shows the step before the browser can paint: no frame or timer first', async () => {
    document.body.innerHTML = '<button id="reports">Reports</button><button id="export">Export</button>'
    const t = createTestHost({ tours: [tour] })
    const controller = createTours(t.host)
    t.track('Dashboard Viewed')
    const into = document.body.appendChild(document.createElement('div'))
    // Preact's own render, not testing-library's act(), which would run every effect at once.
    renderNow(<TourList ctx={createTestContext({ linger: { host: t.host } as Partial<Linger> })} tours={controller} />, into)
    for (let i = 0; i < 5; i++) await Promise.resolve()
    expect(within(into).getByRole('dialog', { name: 'Your reports live here' })).toBeTruthy()
    renderNow(null, into)
  })

  it('Next, Back and Done walk the tour and report each step', async () => {
    const { track, names } = await mount([byNext])
    act(() => track('Dashboard Viewed'))
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('2 of 2')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    expect(screen.getByText('1 of 2')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(names()).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Step Viewed', 'Tour Completed'])
  })

  it('Next to a step whose target is not there yet: the keyboard user is taken to the hint, not dropped on the page body', async () => {
    const later: Tour = { ...tour, steps: [tour.steps[0], { id: 'late', target: '#not-yet', title: 'Share it', waitMs: 60_000 }] }
    const { controller } = await mount([later])
    act(() => void controller.show!('export-tour'))
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    await act(() => new Promise((r) => setTimeout(r, 700)))
    const hint = screen.getByRole('region', { name: 'Share it' })
    expect(document.activeElement?.shadowRoot?.activeElement ?? document.activeElement).toBe(hint)
  })

  it('a step on the page its url names, its target still loading: no hint says it is on another page, nor links to the page the user is on', async () => {
    // The hint's Go link brings the user to #/reports, whose app takes a moment to draw the button:
    // the hint said "This step is on another page: go there" with a link to where they were.
    const onReports: Tour = { ...tour, steps: [tour.steps[0], { id: 'export', target: '#late', title: 'Export it', url: '#/reports*', waitMs: 60_000 }] }
    const { controller, navigate } = await mount([onReports])
    navigate('#/reports')
    act(() => void controller.show!('export-tour'))
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    await act(() => new Promise((r) => setTimeout(r, 700)))
    expect(screen.queryByRole('region', { name: 'Export it' })).toBeNull()
    expect(screen.queryByText(/another page/)).toBeNull()
    // Elsewhere, it is on another page: the hint says so, and links there.
    navigate('#/settings')
    await act(() => new Promise((r) => setTimeout(r, 0)))
    expect(within(screen.getByRole('region', { name: 'Export it' })).getByRole('link', { name: 'Go there' }).getAttribute('href')).toBe('#/reports')
  })

  it('Escape in the hint a keyboard user was taken to ends the tour, as it does in a tip', async () => {
    const later: Tour = { ...tour, steps: [tour.steps[0], { id: 'late', target: '#not-yet', title: 'Share it', waitMs: 60_000 }] }
    const { controller, emitted } = await mount([later])
    act(() => void controller.show!('export-tour'))
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    await act(() => new Promise((r) => setTimeout(r, 700)))
    const hint = screen.getByRole('region', { name: 'Share it' })
    const key = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })
    act(() => void hint.dispatchEvent(key))
    expect(screen.queryByRole('region', { name: 'Share it' })).toBeNull()
    expect(emitted.at(-1)).toEqual({ event: 'Tour Dismissed', properties: { tourId: 'export-tour', runId: expect.any(String), stepIndex: 1, stepId: 'late', reason: 'escape' } })
    // The host's own Escape handler (a modal of its own) does not hear it.
    expect(key.defaultPrevented).toBe(true)
  })

  it('a step on its way, in a tour that started on its own, is announced without taking focus', async () => {
    const later: Tour = { ...tour, steps: [{ id: 'late', target: '#not-yet', title: 'Share it', waitMs: 60_000 }] }
    const { track, ctx } = await mount([later])
    document.getElementById('before')!.focus()
    act(() => track('Dashboard Viewed'))
    await act(() => new Promise((r) => setTimeout(r, 700)))
    expect(document.activeElement?.id).toBe('before')
    expect(ctx.announced.at(-1)).toContain('Share it')
  })

  it('Back passes over a step skipped for its missing target, and is not offered when only skipped steps lie behind', async () => {
    const gap: Tour = { ...tour, steps: [tour.steps[0], { id: 'gone', target: '#nope', title: 'Gone', waitMs: 50 }, { id: 'x', target: '#export', title: 'Export it' }] }
    const { controller, names } = await mount([gap])
    act(() => void controller.show!('export-tour'))
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    await act(() => new Promise((r) => setTimeout(r, 150)))
    expect(screen.getByRole('dialog', { name: 'Export it' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Back' }))
    expect(screen.getByRole('dialog', { name: 'Your reports live here' })).toBeTruthy()
    expect(names().filter((n) => n === 'Tour Target Missing')).toHaveLength(1)
    cleanup()

    const skippedFirst: Tour = { ...tour, steps: [{ id: 'gone', target: '#nope', title: 'Gone', waitMs: 50 }, { id: 'x', target: '#export', title: 'Export it' }] }
    const second = await mount([skippedFirst])
    act(() => void second.controller.show!('export-tour'))
    await act(() => new Promise((r) => setTimeout(r, 150)))
    expect(screen.getByRole('dialog', { name: 'Export it' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull()
  })

  it('clicking the target of a click step advances the tour', async () => {
    const { track, names } = await mount([tour])
    act(() => track('Dashboard Viewed'))
    fireEvent.click(document.getElementById('export')!)
    expect(names()).not.toContain('Tour Completed')
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    fireEvent.click(document.getElementById('export')!)
    expect(names().at(-1)).toBe('Tour Completed')
  })

  it('a step that asks for a click on its target offers no Next or Done, nor an arrow past it: Tab from the tip reaches the target, and its click finishes the tour', async () => {
    const { controller, names } = await mount([tour])
    act(() => void controller.show!('export-tour'))
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('2 of 2')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Done' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull()
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    expect(names()).not.toContain('Tour Completed')
    // A keyboard user on the tip's last button: the next Tab is the target, not the end of the page.
    // From the tip itself or its × it goes on through the tip as ever.
    for (const el of [dialog(), screen.getByRole('button', { name: 'Close tour' })]) {
      el.focus()
      expect(fireEvent.keyDown(el, { key: 'Tab' })).toBe(true)
    }
    screen.getByRole('button', { name: 'Back' }).focus()
    expect(fireEvent.keyDown(focused()!, { key: 'Tab' })).toBe(false)
    expect(document.activeElement?.id).toBe('export')
    fireEvent.click(document.getElementById('export')!)
    expect(names().at(-1)).toBe('Tour Completed')
  })

  it('on a click step whose target takes no focus (a plain div), Tab from the tip is left to the page: the keyboard user is not held on its last button', async () => {
    const onDiv: Tour = { ...tour, steps: [tour.steps[0], { ...tour.steps[1], target: '#panel' }] }
    const { controller } = await mount([onDiv])
    document.body.insertAdjacentHTML('beforeend', '<div id="panel">Panel</div>')
    act(() => void controller.show!('export-tour'))
    fireEvent.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('2 of 2')).toBeTruthy()
    screen.getByRole('button', { name: 'Back' }).focus()
    expect(fireEvent.keyDown(focused()!, { key: 'Tab' })).toBe(true)
  })

  it('Escape closes with the step and reason, and focus returns to where it was', async () => {
    const { track, emitted } = await mount([tour])
    document.getElementById('before')!.focus()
    act(() => track('Dashboard Viewed'))
    fireEvent.keyDown(dialog(), { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(emitted.at(-1)).toEqual({ event: 'Tour Dismissed', properties: { tourId: 'export-tour', runId: expect.any(String), stepIndex: 0, stepId: 'open-reports', reason: 'escape' } })
    expect(document.activeElement?.id).toBe('before')
  })

  it('arrow keys move between steps, mirrored in a right-to-left language', async () => {
    const ltr = await mount([tour])
    act(() => ltr.track('Dashboard Viewed'))
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    expect(screen.getByText('2 of 2')).toBeTruthy()
    fireEvent.keyDown(dialog(), { key: 'ArrowLeft' })
    expect(screen.getByText('1 of 2')).toBeTruthy()
    cleanup()

    const rtl = await mount([tour], { locale: 'ar' })
    act(() => rtl.track('Dashboard Viewed'))
    fireEvent.keyDown(dialog(), { key: 'ArrowLeft' })
    expect(screen.getByText('2 من 2')).toBeTruthy()
  })

  it("Alt+← in a tip is the browser's Back, and Alt+→ its Forward: the page goes, the tour is not stepped", async () => {
    const { track } = await mount([tour])
    act(() => track('Dashboard Viewed'))
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    expect(screen.getByText('2 of 2')).toBeTruthy()
    for (const mod of ['altKey', 'metaKey', 'ctrlKey'])
      for (const key of ['ArrowLeft', 'ArrowRight']) {
        // false: the browser's default (history navigation, word jumps) was prevented.
        expect(fireEvent.keyDown(dialog(), { key, [mod]: true })).toBe(true)
        expect(screen.getByText('2 of 2')).toBeTruthy()
      }
  })

  it('an arrow on the last step does not finish the tour: Done does, pressed', async () => {
    const { track, names } = await mount([byNext])
    act(() => track('Dashboard Viewed'))
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    fireEvent.keyDown(dialog(), { key: 'ArrowRight' })
    expect(screen.getByText('2 of 2')).toBeTruthy()
    expect(names()).not.toContain('Tour Completed')
    fireEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(names().at(-1)).toBe('Tour Completed')
  })

  it('a hotspot shows a beacon that opens its tip; closing it is a dismissal', async () => {
    const { track, names } = await mount([hint])
    act(() => track('Settings Viewed'))
    expect(screen.queryByRole('dialog')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Show tip: Connect Slack' }))
    expect(screen.getByRole('dialog', { name: 'Connect Slack' })).toBeTruthy()
    expect(screen.queryByText(/of 1/)).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Close tour' }))
    expect(names()).toEqual(['Tour Started', 'Tour Step Viewed', 'Tour Dismissed'])
  })

  it('a spotlight step steps aside, dim and all, while the checklist panel is open: no shade over the panel', async () => {
    const { controller, ctx } = await mount([{ ...tour, steps: [{ ...tour.steps[0], spotlight: true }, tour.steps[1]] }])
    act(() => void controller.show!('export-tour'))
    const dimmed = () => !!document.querySelector<HTMLElement>('.spot:not([hidden])')
    expect(dimmed()).toBe(true)
    let collapse!: () => void
    act(() => void (collapse = ctx.layout.expand('checklist', () => {})))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(dimmed()).toBe(false)
    act(() => collapse())
    expect(dialog()).toBeTruthy()
    expect(dimmed()).toBe(true)
  })

  it('a tour that started on its own while its tip stepped aside does not swallow the Tab of a keyboard user on the page', async () => {
    const { track, ctx } = await mount([tour])
    const before = document.getElementById('before')!
    before.focus()
    act(() => track('Dashboard Viewed'))
    let collapse!: () => void
    act(() => void (collapse = ctx.layout.expand('checklist', () => {})))
    // fireEvent answers false when the key's default (moving focus on) was prevented.
    expect(fireEvent.keyDown(before, { key: 'Tab' })).toBe(true)
    act(() => collapse())
    // Back in view, the next Tab still brings them to the tip.
    expect(fireEvent.keyDown(before, { key: 'Tab' })).toBe(false)
    expect(document.activeElement).toBe(dialog())
  })

  it('a user who went on to a checkbox while the toolbar re-rendered under the tip keeps their focus and their scroll: the tip comes back quietly', async () => {
    const { controller } = await mount([tour])
    act(() => void controller.show!('export-tour'))
    expect(focused()).toBe(dialog())
    document.body.insertAdjacentHTML('beforeend', '<input id="agree" type="checkbox">')
    const agree = document.getElementById('agree')!
    agree.focus()
    const before = scrolls
    // For a frame nothing matches the step's selector; then the same button is there again.
    act(() => controller.targetLost('export-tour'))
    expect(dialog()).toBeTruthy()
    expect(focused()).toBe(agree)
    expect(scrolls).toBe(before)
  })

  it('a keyboard user inside a tip whose target flickers is put back in it, not dropped on the page body', async () => {
    const { controller } = await mount([tour])
    act(() => void controller.show!('export-tour'))
    act(() => controller.targetLost('export-tour'))
    expect(focused()).toBe(dialog())
  })

  it('a hotspot tip left open, its target gone and back, does not take focus from the control the user went to', async () => {
    const { track, controller } = await mount([hint])
    act(() => track('Settings Viewed'))
    fireEvent.click(screen.getByRole('button', { name: 'Show tip: Connect Slack' }))
    const before = document.getElementById('before')!
    before.focus()
    act(() => controller.targetLost('hint'))
    expect(screen.getByRole('dialog', { name: 'Connect Slack' })).toBeTruthy()
    expect(focused()).toBe(before)
  })

  it('a hotspot whose target left with the settings page comes back with it on another settings page, not only at the exact URL it left', async () => {
    const { track, controller, navigate } = await mount([hint])
    navigate('#/settings')
    act(() => track('Settings Viewed'))
    expect(screen.getByRole('button', { name: 'Show tip: Connect Slack' })).toBeTruthy()
    // The user goes to the projects page: the settings sidebar, and the link with it, goes.
    const link = document.getElementById('integrations')!
    act(() => (navigate('#/projects'), link.remove()))
    await waitFor(() => expect(controller.$runs.get()[0].status).toBe('paused'))
    expect(screen.queryByRole('button', { name: 'Show tip: Connect Slack' })).toBeNull()
    // Then to the notifications settings: the router renders the sidebar, Integrations link and all.
    act(() => navigate('#/settings/notifications'))
    act(() => void document.body.append(link))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Show tip: Connect Slack' })).toBeTruthy())
  })

  it('config text is shown as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">'
    const { track } = await mount([{ ...tour, steps: [{ ...tour.steps[0], title: evil, body: evil }] }])
    act(() => track('Dashboard Viewed'))
    expect(screen.getByRole('heading').textContent).toBe(evil)
    expect(dialog().querySelector('img')).toBeNull()
  })
})
