// @vitest-environment jsdom
import { atom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Linger } from '@linger/sdk'
import type { WidgetRender } from './platform/context'
import { render as renderApp } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { renderView } from './platform/boundary'
import type { Tour } from '../../sdk/src/config/flows-schema'
import { createTestHost } from '../../sdk/src/experiences/badges/test-host'
import { createTours } from '../../sdk/src/experiences/tours'
import { createSurveys } from '../../sdk/src/experiences/surveys'
import { createCancelFlow } from '../../sdk/src/experiences/cancel'
import { createAnnouncements } from '../../sdk/src/experiences/announcements'

const views: Record<string, WidgetRender> = {}
const loads: string[] = []
let toursLoader: () => Promise<unknown> = () => import('./tours/view')
let checklistLoadFails = 0
let surveysLoadFails = 0
let cancelLoadFails = 0
// A surveys chunk still on its way until this settles (none: a task, as a warm import()).
let surveysArrive: Promise<unknown> | undefined
vi.mock('./lazy', () => ({
  widgetLoaders: {
    checklists: async () => {
      if (checklistLoadFails-- > 0) throw new Error('Failed to fetch dynamically imported module')
      return loads.push('checklists'), { render: (ctx: never) => views.checklists(ctx) }
    },
    // A task later, as a browser resolves even an import() of a module it already has.
    tours: () => toursLoader(),
    surveys: () =>
      new Promise((r) => setTimeout(r)).then(() => surveysArrive).then(() => {
        if (surveysLoadFails-- > 0) throw new Error('Failed to fetch dynamically imported module')
        return loads.push('surveys'), { render: (ctx: never) => views.surveys(ctx) }
      }),
    cancel: async () => {
      if (cancelLoadFails-- > 0) throw new Error('Failed to fetch dynamically imported module')
      return { render: (ctx: never) => views.cancel(ctx) }
    },
  },
}))
const { mountWidgets } = await import('./mount')

function fakeLinger() {
  const errors: Array<{ code: string; message: string }> = []
  const needs = { checklists: atom(false), surveys: atom(false) }
  const likely = atom<string[]>([])
  const linger = {
    ready: Promise.resolve(),
    likely,
    experiences: { checklists: { $needsUi: needs.checklists }, surveys: { $needsUi: needs.surveys } },
    host: { options: {}, flows: atom({ settings: {} }), reportError: (e: { code: string; message: string }) => errors.push(e) },
  } as unknown as Linger
  return { linger, needs, errors, likely }
}
const settle = () => new Promise((r) => setTimeout(r, 20))
const until = (check: () => void) => vi.waitFor(check, { timeout: 3000, interval: 10 })
const hosts = () => [...document.querySelectorAll('[data-linger]')].map((el) => el.getAttribute('data-linger'))

afterEach(() => {
  document.body.innerHTML = ''
})

describe('mountWidgets', () => {
  it("an unmount called again (the vendor's own, after linger.destroy() already took the widgets off) leaves a later mount's Shown waiting for its UI", async () => {
    const { linger } = fakeLinger()
    const first = mountWidgets(linger)
    first()
    mountWidgets(linger)
    first()
    // A controller asks before it says Shown: nothing is drawn yet, so it must wait (true), not send it now.
    const drawn = vi.fn()
    expect(linger.host.undrawn?.('checklists', drawn)).toBe(true)
    expect(drawn).not.toHaveBeenCalled()
  })

  it('widgets mounted again on the same Linger without unmounting (a hot reload re-running the app module) show one checklist, not two', async () => {
    views.checklists = (ctx) => (ctx.surface('checklist', '').root.append('Get started'), () => {})
    const { linger, needs } = fakeLinger()
    const first = mountWidgets(linger)
    const again = mountWidgets(linger)
    needs.checklists.set(true)
    await until(() => expect(hosts()).toContain('checklist'))
    await settle()
    expect(hosts()).toEqual(['checklist'])
    // The first mount's own unmount, called late (its component's cleanup), leaves the one that replaced it.
    first()
    expect(hosts()).toEqual(['checklist'])
    again()
    expect(hosts()).toEqual([])
  })

  it('a hot reload that mounts the widgets again with another theme hears that its options are ignored; the same options again hear nothing', async () => {
    const { linger, errors } = fakeLinger()
    const first = mountWidgets(linger, { theme: { accent: '#0a7' } })
    const same = mountWidgets(linger, { theme: { accent: '#0a7' } })
    expect(errors).toEqual([])
    // The developer changed the accent and saved: the module runs again, the first mount still held.
    const changed = mountWidgets(linger, { theme: { accent: '#e11' } })
    expect(errors).toEqual([{ code: 'invalid-call', message: 'mountWidgets again: its options are ignored until the last unmount' }])
    ;[first, same, changed].forEach((unmount) => unmount())
    // All let go: a mount made now is a new one, with its own options, and nothing to say.
    mountWidgets(linger, { theme: { accent: '#e11' } })()
    expect(errors).toHaveLength(1)
  })

  it("components that each mount the widgets into the app's own root (an element preact or React keeps its tree on) go on: nothing is thrown into the app, and the same theme written in another order hears nothing", () => {
    const { linger, errors } = fakeLinger()
    // Preact keeps its tree on the element it rendered into, and that tree points back up: circular.
    const app = document.body.appendChild(document.createElement('div'))
    renderApp(<p>Acme</p>, app)
    // React's: the element's fiber, whose stateNode is the element.
    const panel = document.body.appendChild(document.createElement('aside'))
    Object.assign(panel, { __reactFiber$k2: { stateNode: panel } })
    const unmounts = [mountWidgets(linger, { container: app, theme: { accent: '#0a7', radius: 8 } })]
    unmounts.push(mountWidgets(linger, { container: app, theme: { radius: 8, accent: '#0a7' } }))
    expect(errors).toEqual([])
    // Another root, and a plain script's null: held all the same, and told that they are not taken.
    unmounts.push(mountWidgets(linger, { container: panel }))
    unmounts.push(mountWidgets(linger, null as never))
    expect(errors).toEqual([1, 2].map(() => ({ code: 'invalid-call', message: 'mountWidgets again: its options are ignored until the last unmount' })))
    unmounts.forEach((unmount) => unmount())
  })

  it("a plain script's widgets mounted with null for their options (no settings of its own) show, as with none", async () => {
    views.checklists = (ctx) => (ctx.surface('checklist', '').root.append('Get started'), () => {})
    const { linger, needs, errors } = fakeLinger()
    const unmount = mountWidgets(linger, null as never)
    needs.checklists.set(true)
    await until(() => expect(hosts()).toEqual(['checklist']))
    expect(errors).toEqual([])
    unmount()
  })

  it('loads nothing until an experience needs its UI, then renders it in an open shadow root', async () => {
    const render = vi.fn<WidgetRender>((ctx) => {
      const { root } = ctx.surface('checklist', '.x{color:red}')
      root.append(ctx.t('checklist.close'))
      return () => {}
    })
    views.checklists = render
    const { linger, needs } = fakeLinger()
    const unmount = mountWidgets(linger)
    await settle()
    expect(render).not.toHaveBeenCalled()
    needs.checklists.set(true)
    await until(() => expect(render).toHaveBeenCalledTimes(1))
    const host = document.querySelector('linger-checklist')!
    expect(host.shadowRoot?.textContent).toContain('Close checklist')
    needs.checklists.set(false)
    needs.checklists.set(true)
    await settle()
    expect(render).toHaveBeenCalledTimes(1)
    unmount()
    expect(hosts()).toEqual([])
  })

  it('fetches the UI of an experience that will probably show at idle, before its trigger, and shows nothing until then', async () => {
    const render = vi.fn<WidgetRender>((ctx) => {
      ctx.surface('survey', '')
      return () => {}
    })
    views.surveys = render
    loads.length = 0
    const { linger, needs, likely } = fakeLinger()
    mountWidgets(linger)
    await settle()
    expect(loads).toEqual([])
    likely.set(['surveys'])
    await until(() => expect(loads).toEqual(['surveys']))
    expect(render).not.toHaveBeenCalled()
    expect(hosts()).toEqual([])
    needs.surveys.set(true)
    await until(() => expect(hosts()).toEqual(['survey']))
    // The checklist was never likely nor needed: never loaded.
    expect(loads).not.toContain('checklists')
  })

  it('renders a prefetched widget before the trigger\'s task ends: no import() again, no task between', async () => {
    views.surveys = (ctx) => {
      ctx.surface('survey', '').root.append('How likely…')
      return () => {}
    }
    loads.length = 0
    const { linger, needs, likely } = fakeLinger()
    const unmount = mountWidgets(linger)
    likely.set(['surveys'])
    await until(() => expect(loads).toEqual(['surveys']))
    // The platform (catalogs) and the idle preparation, whose hidden surface is gone again.
    await new Promise((r) => setTimeout(r, 300))
    expect(hosts()).toEqual([])
    needs.surveys.set(true)
    // Microtasks only: what runs before the browser could start another task or paint.
    for (let i = 0; i < 3; i++) await Promise.resolve()
    expect(hosts()).toEqual(['survey'])
    expect(document.querySelector('linger-survey')?.shadowRoot?.textContent).toContain('How likely…')
    expect(loads).toEqual(['surveys'])
    unmount()
  })

  it("lays out a likely widget's hidden surface only in idle periods with a slice of time left, none in the last moment before the page's next task", async () => {
    const idle: Array<(deadline: IdleDeadline) => void> = []
    const goIdle = (ms: number) => idle.splice(0).forEach((fn) => fn({ timeRemaining: () => ms, didTimeout: false }))
    vi.stubGlobal('requestIdleCallback', (fn: (deadline: IdleDeadline) => void) => idle.push(fn))
    await import('./platform/create-context')
    const laidOut: Array<string | null> = []
    const observer = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => laidOut.push((n as Element).getAttribute('data-linger')))))
    observer.observe(document.body, { childList: true })
    try {
      views.surveys = (ctx) => {
        ctx.surface('survey', '.q{font-size:20px}')
        return () => {}
      }
      const { linger, likely } = fakeLinger()
      const unmount = mountWidgets(linger)
      const standIn = linger.host.screen
      likely.set(['surveys'])
      await until(() => expect(idle).toHaveLength(1))
      // A quiet page: the platform is built.
      for (let i = 0; i < 300 && linger.host.screen === standIn; i++) goIdle(50), await settle()
      // Then 1 ms between the app's tasks, again and again: a piece started there runs into them.
      for (let i = 0; i < 5; i++) goIdle(1), await settle()
      expect(laidOut).toEqual([])
      goIdle(50)
      await settle()
      expect(laidOut).toContain('prepare')
      unmount()
    } finally {
      observer.disconnect()
      vi.unstubAllGlobals()
    }
  })

  it('removes a widget whose render throws, reports it, and keeps the other widgets', async () => {
    views.checklists = (ctx) => {
      ctx.surface('checklist', '')
      throw new Error('boom')
    }
    views.surveys = (ctx) => {
      ctx.surface('survey', '')
      return () => {}
    }
    const { linger, needs, errors } = fakeLinger()
    mountWidgets(linger)
    needs.checklists.set(true)
    needs.surveys.set(true)
    await until(() => expect(hosts()).toEqual(['survey']))
    expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed', message: expect.stringContaining('boom') })])
  })

  it('contains a component that throws later, while rendering an update', async () => {
    const $n = atom(0)
    function Counter() {
      const [n, setN] = useState($n.get())
      useEffect(() => $n.subscribe(setN), [])
      if (n > 0) throw new Error('render failed')
      return <p>fine</p>
    }
    views.checklists = (ctx) => {
      const { root } = ctx.surface('checklist', '')
      return renderView(ctx, 'checklist', <Counter />, root)
    }
    const { linger, needs, errors } = fakeLinger()
    mountWidgets(linger)
    needs.checklists.set(true)
    await until(() => expect(document.querySelector('linger-checklist')?.shadowRoot?.querySelector('p')?.textContent).toBe('fine'))
    $n.set(1)
    await until(() => expect(hosts()).toEqual([]))
    expect(errors[0]?.message).toContain('render failed')
  })

  it('a widget whose UI failed to load twice (offline) shows once the network is back, with nothing else happening on the page', async () => {
    views.checklists = (ctx) => {
      ctx.surface('checklist', '')
      return () => {}
    }
    checklistLoadFails = 2
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      const { linger, needs, errors } = fakeLinger()
      mountWidgets(linger)
      await vi.advanceTimersByTimeAsync(0)
      needs.checklists.set(true)
      await vi.advanceTimersByTimeAsync(0)
      expect(errors).toHaveLength(1)
      expect(hosts()).toEqual([])
      // Tried again 2 s later (still offline), then 4 s after that: the need never changed.
      await vi.advanceTimersByTimeAsync(2000)
      expect(errors).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(4000)
      expect(hosts()).toEqual(['checklist'])
      expect(errors).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a tour whose UI failed to load (a network blip) gets it with the next tour, and stops holding the one blocking slot', async () => {
    const missing = (id: string): Tour => ({ id, steps: [{ id: 'here', target: '#gone', title: 'Look here', waitMs: 50 }] })
    const t = createTestHost({ tours: [missing('a'), missing('b')] })
    const released: string[] = []
    t.host.release = (id) => void released.push(id)
    const tours = createTours(t.host)
    let calls = 0
    toursLoader = () => (++calls === 1 ? Promise.reject(new Error('Failed to fetch dynamically imported module')) : import('./tours/view'))
    const { linger, errors } = fakeLinger()
    Object.assign(linger.experiences!, { tours })
    const unmount = mountWidgets(linger)
    await settle()
    tours.show!('a')
    // Past the step's wait: with no UI, nothing was there to time it.
    await new Promise((r) => setTimeout(r, 150))
    expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed', message: expect.stringContaining('tours') })])
    tours.show!('b')
    await until(() => expect(tours.$runs.get()).toEqual([]))
    expect(calls).toBe(2)
    expect(released).toContain('a')
    unmount()
  })

  it('a vendor who mounts the widgets again while Linger starts (a locale switch) still gets the "what\'s new" due at once', async () => {
    const t = createTestHost({ announcements: [{ id: 'v3', format: 'modal', title: 'Version 3 is here', body: 'A new editor.' }] } as never)
    const { linger } = fakeLinger()
    Object.assign(linger, { host: t.host })
    const unmount = mountWidgets(linger)
    // It asks the widgets' screen as it starts, before their platform is in.
    const announcements = createAnnouncements(t.host)
    Object.assign(linger, { experiences: { announcements } })
    unmount()
    const again = mountWidgets(linger)
    await until(() => expect(announcements.$modal.get()?.title).toBe('Version 3 is here'))
    again()
    announcements.dispose?.()
  })

  it('widgets mounted again (an SPA remounting its root) while a survey\'s UI chunk loads: the survey the user then sees is counted Shown, once', async () => {
    const t = createTestHost({ surveys: [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }] as never })
    const surveys = createSurveys(t.host)
    const { linger } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    views.surveys = (ctx) => (ctx.surface('survey', '').root.append('Was exporting easy?'), () => {})
    let arrive!: (v?: unknown) => void
    surveysArrive = new Promise((r) => (arrive = r))
    try {
      const first = mountWidgets(linger)
      t.track('Report Exported')
      await until(() => expect(surveys.$session.get()?.survey.id).toBe('ease'))
      first()
      const again = mountWidgets(linger)
      arrive()
      await until(() => expect(document.querySelector('linger-survey')?.shadowRoot?.textContent).toContain('Was exporting easy?'))
      await settle()
      expect(t.events('Survey Shown').map((e) => e.properties.surveyId)).toEqual(['ease'])
      again()
    } finally {
      surveysArrive = undefined
      surveys.dispose?.()
    }
  })

  it('two components that each mount the widgets: the one that unmounts first leaves the other\'s working, and a survey then triggered is drawn as it is counted Shown', async () => {
    const t = createTestHost({ surveys: [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }] as never })
    const surveys = createSurveys(t.host)
    const { linger } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    views.surveys = (ctx) => (ctx.surface('survey', '').root.append('Was exporting easy?'), () => {})
    try {
      const sidebar = mountWidgets(linger)
      const editor = mountWidgets(linger)
      await settle()
      // The user closes the editor; the sidebar stays.
      editor()
      t.track('Report Exported')
      await until(() => expect(t.events('Survey Shown')).toHaveLength(1))
      await until(() => expect(hosts()).toEqual(['survey']))
      sidebar()
      expect(hosts()).toEqual([])
    } finally {
      surveys.dispose?.()
    }
  })

  it.each([['at once', 0], ['a moment later', 20]])('widgets unmounted and mounted again after their platform came in (a locale switch), a survey triggered %s in a background tab still waits until the user looks at the tab', async (_, after) => {
    const t = createTestHost({ surveys: [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }] as never })
    const surveys = createSurveys(t.host)
    const { linger, likely } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    views.surveys = (ctx) => (ctx.surface('survey', '').root.append('Was exporting easy?'), () => {})
    let hidden = false
    const was = [Object.getOwnPropertyDescriptor(document, 'hidden'), Object.getOwnPropertyDescriptor(document, 'visibilityState')] as const
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    try {
      const first = mountWidgets(linger)
      // The survey is likely: its platform and chunk come in at idle.
      likely.set(['surveys'])
      // In: the screen the controllers ask is the platform's own, no longer the mount's stand-in.
      await until(() => expect(t.host.screen).toHaveProperty('dispose'))
      first()
      const again = mountWidgets(linger)
      if (after) await new Promise((r) => setTimeout(r, after))
      // The user switches to another tab; the export they started there lands.
      hidden = true
      t.track('Report Exported')
      await new Promise((r) => setTimeout(r, 200))
      expect(hosts()).toEqual([])
      hidden = false
      document.dispatchEvent(new Event('visibilitychange'))
      await until(() => expect(hosts()).toEqual(['survey']))
      await until(() => expect(t.events('Survey Shown')).toHaveLength(1))
      again()
    } finally {
      for (const [i, name] of (['hidden', 'visibilityState'] as const).entries()) was[i] ? Object.defineProperty(document, name, was[i]!) : delete (document as unknown as Record<string, unknown>)[name]
      surveys.dispose?.()
    }
  })

  it('the app\'s root mounted twice over (React StrictMode: unmount, mount, unmount, mount) while a centred survey waits for the user to stop typing: it comes at their pause, not mid-sentence', async () => {
    const t = createTestHost({ surveys: [{ id: 'csat', kind: 'csat', question: 'How satisfied are you with exporting?', scale: 5, trigger: { event: 'Report Exported' }, placement: 'center' }] as never })
    const surveys = createSurveys(t.host)
    const { linger, likely } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    views.surveys = (ctx) => (ctx.surface('survey', '').root.append('How satisfied are you with exporting?'), () => {})
    const search = document.body.appendChild(document.createElement('input'))
    const type = () => search.dispatchEvent(new KeyboardEvent('keydown', { key: 'q', bubbles: true }))
    try {
      const first = mountWidgets(linger)
      likely.set(['surveys'])
      await until(() => expect(t.host.screen).toHaveProperty('dispose'))
      search.focus()
      type()
      // Their export lands mid-sentence: the survey waits for the pause.
      t.track('Report Exported')
      await settle()
      expect(surveys.$session.get()).toBeNull()
      // The developer saves; the root remounts, and StrictMode runs its effects twice.
      first()
      mountWidgets(linger)()
      const again = mountWidgets(linger)
      await until(() => expect(t.host.screen).toHaveProperty('dispose'))
      type()
      await settle()
      expect(surveys.$session.get()).toBeNull()
      expect(hosts()).toEqual([])
      // They pause: it comes, once, in the mount that stays.
      await vi.waitFor(() => expect(hosts()).toEqual(['survey']), { timeout: 6000, interval: 50 })
      await until(() => expect(t.events('Survey Shown')).toHaveLength(1))
      again()
    } finally {
      surveys.dispose?.()
    }
  })

  it('a wait handed to the next mount that throws is reported and keeps from the page, and the waits after it still come', async () => {
    const t = createTestHost({ surveys: [{ id: 'csat', kind: 'csat', question: 'How satisfied are you with exporting?', scale: 5, trigger: { event: 'Report Exported' } }] as never })
    const { linger, likely } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: {} })
    const reported = vi.spyOn(t.host, 'reportError')
    const search = document.body.appendChild(document.createElement('input'))
    const first = mountWidgets(linger)
    likely.set(['surveys'])
    await until(() => expect(t.host.screen).toHaveProperty('dispose'))
    search.focus()
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'q', bubbles: true }))
    let came = 0
    expect(t.host.screen!.typing!(() => { throw new Error('a broken wait') })).toBe(true)
    expect(t.host.screen!.typing!(() => came++)).toBe(true)
    first()
    const again = mountWidgets(linger)
    await vi.waitFor(() => expect(came).toBe(1), { timeout: 6000, interval: 50 })
    expect(reported.mock.calls.map(([e]) => e.code)).toEqual(['widget-failed'])
    again()
    search.remove()
  })

  it('a survey triggered in a background tab before the widgets are in waits until the user looks at the tab', async () => {
    const t = createTestHost({ surveys: [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }] as never })
    const surveys = createSurveys(t.host)
    const { linger } = fakeLinger()
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    let hidden = true
    const was = [Object.getOwnPropertyDescriptor(document, 'hidden'), Object.getOwnPropertyDescriptor(document, 'visibilityState')] as const
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    try {
      // Opened with a middle click: the page loads, and its first export lands at once.
      const unmount = mountWidgets(linger)
      t.track('Report Exported')
      await new Promise((r) => setTimeout(r, 200))
      const shown = () => t.events('Survey Shown')
      expect(shown()).toEqual([])
      hidden = false
      document.dispatchEvent(new Event('visibilitychange'))
      await until(() => expect(shown()).toHaveLength(1))
      unmount()
    } finally {
      for (const [i, name] of (['hidden', 'visibilityState'] as const).entries()) was[i] ? Object.defineProperty(document, name, was[i]!) : delete (document as unknown as Record<string, unknown>)[name]
    }
  })

  it('a survey whose UI could not load (blocked, offline) is not counted as shown; once its UI is in, it is, once', async () => {
    const t = createTestHost({ surveys: [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }] as never })
    const surveys = createSurveys(t.host)
    const { linger, errors } = fakeLinger()
    t.host.reportError = (e) => void errors.push(e)
    Object.assign(linger, { host: t.host, experiences: { surveys } })
    views.surveys = (ctx) => (ctx.surface('survey', ''), () => {})
    surveysLoadFails = 1
    const unmount = mountWidgets(linger)
    await settle()
    surveys.show!('ease')
    await until(() => expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed' })]))
    expect(t.events('Survey Shown')).toEqual([])
    // The mount tries the chunk again on its own; this time it comes.
    await vi.waitFor(() => expect(t.events('Survey Shown')).toHaveLength(1), { timeout: 5000, interval: 50 })
    expect(hosts()).toContain('survey')
    await settle()
    expect(t.events('Survey Shown')).toHaveLength(1)
    unmount()
  })

  describe('the cancellation flow, whose UI cannot load or render', () => {
    const saveOffer = {
      id: 'save-offer',
      reasons: [{ id: 'too-expensive', label: 'It is too expensive' }],
      offers: [],
    }
    function cancelPage() {
      const t = createTestHost({ cancelFlow: saveOffer } as never)
      const onCancel = vi.fn()
      t.host.handlers = { onCancel }
      const cancel = createCancelFlow(t.host)
      const { linger, errors } = fakeLinger()
      t.host.reportError = (e) => void errors.push(e)
      Object.assign(linger, { host: t.host, experiences: { cancel } })
      const names = () => t.emitted.map((e) => e.event).filter((e) => e.startsWith('Cancel'))
      return { t, cancel, linger, errors, onCancel, names }
    }

    it('linger.cancel() with the UI chunk blocked hands the user to the vendor\'s own cancel at once, not after the retry backoff', async () => {
      cancelLoadFails = 99
      vi.useFakeTimers({ toFake: ['setTimeout'] })
      const { cancel, linger, errors, onCancel, names } = cancelPage()
      const unmount = mountWidgets(linger)
      try {
        await vi.advanceTimersByTimeAsync(0)
        cancel.show!('save-offer')
        // No time passes: only the failed import() itself.
        await vi.advanceTimersByTimeAsync(0)
        expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed', message: expect.stringContaining('cancel') })])
        expect(onCancel).toHaveBeenCalledWith(null)
        expect(cancel.$state.get().step).toBe('closed')
        // No flow was on screen: no started flow, no outcome.
        expect(names()).toEqual([])
        // Nothing is retried for a cancel that already went the vendor's way.
        await vi.advanceTimersByTimeAsync(130_000)
        expect(errors).toHaveLength(1)
        expect(onCancel).toHaveBeenCalledTimes(1)
      } finally {
        unmount()
        cancel.dispose()
        vi.useRealTimers()
        cancelLoadFails = 0
      }
    })

    it('the next cancel tries the UI again at once, and the flow counts as started only once it is on screen', async () => {
      views.cancel = (ctx) => (ctx.surface('cancel', '', 'modal'), () => {})
      cancelLoadFails = 1
      const { cancel, linger, onCancel, names } = cancelPage()
      const unmount = mountWidgets(linger)
      await settle()
      cancel.show!('save-offer')
      await until(() => expect(onCancel).toHaveBeenCalledTimes(1))
      cancel.show!('save-offer')
      await until(() => expect(hosts()).toEqual(['cancel']))
      expect(names()).toEqual(['Cancel Flow Started'])
      expect(onCancel).toHaveBeenCalledTimes(1)
      unmount()
      cancel.dispose()
    })

    it('a cancel UI whose render throws hands the user to the vendor\'s own cancel', async () => {
      views.cancel = () => {
        throw new Error('boom')
      }
      const { cancel, linger, errors, onCancel, names } = cancelPage()
      const unmount = mountWidgets(linger)
      await settle()
      cancel.show!('save-offer')
      await until(() => expect(onCancel).toHaveBeenCalledWith(null))
      expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed', message: expect.stringContaining('boom') })])
      expect(cancel.$state.get().step).toBe('closed')
      expect(names()).toEqual([])
      unmount()
      cancel.dispose()
    })

    it('a cancel UI that crashed once does not leave the next cancel with nothing: it goes the vendor\'s way again', async () => {
      views.cancel = () => {
        throw new Error('boom')
      }
      const { cancel, linger, onCancel } = cancelPage()
      const unmount = mountWidgets(linger)
      await settle()
      cancel.show!('save-offer')
      await until(() => expect(onCancel).toHaveBeenCalledTimes(1))
      cancel.show!('save-offer')
      await until(() => expect(onCancel).toHaveBeenCalledTimes(2))
      expect(cancel.$state.get().step).toBe('closed')
      unmount()
      cancel.dispose()
    })
  })
})
