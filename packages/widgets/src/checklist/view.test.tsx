// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CELEBRATE_MS, Checklist } from './view'
import { setup } from './test-setup'
import { exampleFlows } from '../../../sdk/src/experiences/checklist/example.fixture'
import { createChecklists } from '../../../sdk/src/experiences/checklist'
import { createTestHost } from '../../../sdk/src/experiences/badges/test-host'
import type { LiveExperienceState } from '../../../sdk/src/experience-state'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  document.body.innerHTML = ''
})

const ONBOARDING = ['Project Created', 'Task Created', 'Task Created', 'Task Created', 'Teammate Invited', 'Report Exported']

/** The user goes back to work in the host page: focus in one of its fields. */
/** The user is on one of the page's own buttons (in a field, the panel would not open at all). */
function onHostButton() {
  const button = document.body.appendChild(document.createElement('button'))
  button.focus()
  return button
}

function mount(...args: Parameters<typeof setup>) {
  const s = setup(...args)
  render(<Checklist ctx={s.ctx} />)
  // The audience (daysSince firstSeen ≤ 30) needs a first event before the list starts.
  act(() => s.track('Signed In'))
  const open = () => fireEvent.click(screen.getByRole('button', { expanded: false, name: /tasks done/ }))
  return { ...s, open }
}

describe('checklist widget', () => {
  it('shows progress on the launcher and the tasks in the panel', () => {
    const { track, open } = mount()
    act(() => track('Project Created'))
    expect(screen.getByRole('button', { name: 'Get started with Acme Projects: 1 of 4 tasks done' })).toBeTruthy()
    open()
    const panel = screen.getByRole('region', { name: 'Get started with Acme Projects' })
    expect(within(panel).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1')
    const items = within(panel).getAllByRole('listitem')
    expect(items.map((li) => li.textContent)).toEqual([
      '✓Create your first project (Done)+1010 points',
      'Add three tasks (Not done yet)+1010 points',
      'Invite a teammate (Not done yet)+2020 points',
      'Export a report (Not done yet)+1010 points' + 'Show me',
    ])
  })

  it('shows a task’s description until the task is done', () => {
    const flows = structuredClone(exampleFlows)
    flows.checklists![0].tasks[0].description = 'Pick a template and name it'
    const { track, open } = mount(flows)
    open()
    expect(screen.getByText('Pick a template and name it')).toBeTruthy()
    act(() => track('Project Created'))
    expect(screen.queryByText('Pick a template and name it')).toBeNull()
  })

  it('ticks tasks while open and announces them', () => {
    const { track, open, ctx } = mount()
    open()
    act(() => {
      track('Task Created')
      track('Task Created')
      track('Task Created')
    })
    expect(screen.getByText('Add three tasks').closest('li')?.className).toBe('done')
    expect(ctx.announced).toEqual(['Task completed: Add three tasks'])
  })

  it('starts the tour of a task from its call to action, and links only to safe URLs', () => {
    const flows = { ...exampleFlows, checklists: [{ ...exampleFlows.checklists![0], tasks: [...exampleFlows.checklists![0].tasks, { id: 'x', title: 'Evil', doneWhen: { event: 'never' }, cta: { label: 'Click me', url: 'javascript:alert(1)' } }] }] } as never
    const { open, shown } = mount(flows)
    open()
    expect(screen.getByRole('link', { name: 'New project' }).getAttribute('href')).toBe('#/projects/new')
    expect(screen.queryByText('Click me')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Show me' }))
    expect(shown).toEqual(['export-tour'])
    // The panel gets out of the way of what the tour points at.
    expect(screen.queryByRole('region')).toBeNull()
  })

  it('following a task’s link closes the panel, so the button it asks for is not covered', () => {
    const { open } = mount()
    open()
    fireEvent.click(screen.getByRole('link', { name: 'New project' }))
    expect(screen.queryByRole('region')).toBeNull()
    expect(screen.getByRole('button', { name: /tasks done/ }).getAttribute('aria-expanded')).toBe('false')
  })

  it('a keyboard user who follows a task’s in-app link lands on the launcher, not at the top of the page; a click leaves focus be', () => {
    const { open } = mount()
    open()
    const link = screen.getByRole('link', { name: 'New project' })
    act(() => link.focus())
    // Enter on a link is a click with no pointer (detail 0); the in-app route loads no page.
    fireEvent.click(link, { detail: 0 })
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { expanded: false, name: /tasks done/ }))
    const page = onHostButton()
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Show me' }), { detail: 1 })
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement).not.toBe(screen.getByRole('button', { expanded: false, name: /tasks done/ }))
    page.remove()
  })

  it('opening another corner surface (a survey, a tour step) closes the panel', () => {
    const { open, ctx } = mount()
    open()
    act(() => void ctx.layout.expand('surveys', () => {}))
    expect(screen.queryByRole('region')).toBeNull()
  })

  it('shows the badges button only when the flows have badges or levels', () => {
    mount()
    expect(screen.getByRole('button', { name: 'Badges' })).toBeTruthy()
    cleanup()
    mount({ ...exampleFlows, badges: [], levels: [] })
    expect(screen.queryByRole('button', { name: 'Badges' })).toBeNull()
  })

  it('dismisses to a small resume button and resumes from it', () => {
    const { open, events } = mount()
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Hide checklist' }))
    expect(events('Checklist Dismissed')).toHaveLength(1)
    expect(screen.queryByRole('region')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects' }))
    expect(screen.getByRole('region')).toBeTruthy()
  })

  it('closes on Escape and gives focus back to the launcher', () => {
    const { open } = mount()
    open()
    const heading = screen.getByRole('heading', { name: 'Get started with Acme Projects' })
    expect(document.activeElement).toBe(heading)
    fireEvent.keyDown(heading, { key: 'Escape' })
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement?.getAttribute('aria-expanded')).toBe('false')
  })

  it('a keyboard user back on the launcher with the list open closes it with Escape there too, and the key goes no further', () => {
    const { open } = mount()
    open()
    const launcher = document.querySelector<HTMLElement>('[aria-expanded="true"]')!
    launcher.focus()
    const host = vi.fn()
    document.addEventListener('keydown', host)
    fireEvent.keyDown(launcher, { key: 'Escape' })
    document.removeEventListener('keydown', host)
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement).toBe(launcher)
    expect(launcher.getAttribute('aria-expanded')).toBe('false')
    expect(host).not.toHaveBeenCalled()
  })

  it('opens itself to celebrate the completed list, without confetti under reduced motion', () => {
    const { track, ctx } = mount(undefined, { reducedMotion: true })
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByText('All done!')).toBeTruthy()
    expect(document.querySelector('.confetti')).toBeNull()
    expect(ctx.announced).toContain('Checklist completed: Get started with Acme Projects')
  })

  it('closed with its launcher, the panel that later opens to celebrate leaves focus on the page’s button the user is on', () => {
    const { track, open } = mount(undefined, { reducedMotion: true })
    open()
    fireEvent.click(screen.getByRole('button', { expanded: true, name: /tasks done/ }))
    const input = onHostButton()
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByText('All done!')).toBeTruthy()
    expect(document.activeElement).toBe(input)
  })

  it('opened by the app while already open, the panel that later opens to celebrate leaves focus on the page’s button the user is on', () => {
    const { track, open, experiences } = mount(undefined, { reducedMotion: true })
    open()
    act(() => void experiences.checklists.show?.('getting-started'))
    fireEvent.click(screen.getByRole('button', { name: 'Close checklist' }))
    const input = onHostButton()
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByText('All done!')).toBeTruthy()
    expect(document.activeElement).toBe(input)
  })

  it('a list the user hid does not pop open when its last task ticks, nor is read out: the reward is still granted', () => {
    const { track, open, events, ctx } = mount(undefined, { reducedMotion: true })
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Hide checklist' }))
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.queryByRole('region')).toBeNull()
    expect(events('Checklist Completed').map((e) => e.properties.points)).toEqual([50])
    expect(ctx.announced.filter((m) => /^(Task|Checklist) completed/.test(m))).toEqual([])
  })

  it('a list finished while the user types in a survey’s comment box does not open over it', () => {
    const { track, ctx } = mount(undefined, { reducedMotion: true })
    const away = vi.fn()
    act(() => void ctx.layout.expand('surveys', away))
    // The survey's own surface, as the platform mounts it: a linger-* host with a shadow root.
    const survey = document.body.appendChild(document.createElement('linger-survey'))
    survey.attachShadow({ mode: 'open' }).appendChild(document.createElement('textarea')).focus()
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 4/ })).toBeTruthy()
    expect(screen.queryByRole('region')).toBeNull()
    expect(away).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(survey)
  })

  it('a list finished from the page’s own form (the invite that was its last task) does not open over the field still in use', () => {
    const { track } = mount(undefined, { reducedMotion: true })
    const field = document.body.appendChild(document.createElement('input'))
    field.type = 'email'
    field.focus()
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 4/ })).toBeTruthy()
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement).toBe(field)
  })

  it('opened by the app (linger.show) while the user types in the page’s search box, the panel shows but the caret and the next keystrokes stay in the box', () => {
    const { experiences } = mount(undefined, { reducedMotion: true })
    const search = document.body.appendChild(document.createElement('input'))
    search.focus()
    // The app's own timer or fetch callback, not the user's click: they are still typing.
    act(() => void experiences.checklists.show?.('getting-started'))
    expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
    expect(document.activeElement).toBe(search)
  })

  it('opened by the app from the user’s click on its “Getting started” button, focus goes into the panel', () => {
    const { experiences } = mount(undefined, { reducedMotion: true })
    onHostButton()
    act(() => void experiences.checklists.show?.('getting-started'))
    expect(document.activeElement?.id).toBe('linger-cl-title-getting-started')
  })

  it('a panel left open is closed for the next user after sign-out', () => {
    const s = mount(undefined, { reducedMotion: true })
    s.open()
    act(() => {
      ;(s.host.state as unknown as { switchUser(k: string): void }).switchUser('a:visitor2')
      s.$user.set({ ...s.$user.get(), userKey: 'a:visitor2', userId: undefined })
    })
    // The new visitor's list starts (at once here: the test host keeps one usage profile).
    act(() => s.track('Signed In'))
    expect(screen.getByRole('button', { expanded: false, name: /^Get started with Acme Projects: 0 of 4/ })).toBeTruthy()
    expect(screen.queryByRole('region')).toBeNull()
  })

  it('with focus left on the launcher, the celebration still ends by itself and lets a waiting survey show', () => {
    vi.useFakeTimers()
    const { track, ctx, open } = mount(undefined, { reducedMotion: true })
    open()
    fireEvent.keyDown(screen.getByRole('region'), { key: 'Escape' })
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.getByText('All done!')).toBeTruthy()
    const survey = vi.fn()
    ctx.screen.when(survey)
    act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
    expect(screen.queryByText('All done!')).toBeNull()
    act(() => void vi.advanceTimersByTime(3000))
    expect(survey).toHaveBeenCalledOnce()
  })

  it('a list finished on another device (or tab) arrives done, quietly: the launcher says so, and no panel opens by itself', () => {
    const { host, ctx } = mount(undefined, { reducedMotion: true })
    expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 0 of 4/ })).toBeTruthy()
    const done = { 'create-project': 1, 'add-tasks': 2, invite: 3, export: 4 }
    act(() => host.state.set('checklist:getting-started', { status: 'completed', done }))
    expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 4/ })).toBeTruthy()
    expect(screen.queryByRole('region')).toBeNull()
    expect(screen.queryByText('All done!')).toBeNull()
    expect(ctx.announced).toContain('Checklist completed: Get started with Acme Projects')
  })

  it('the celebration keeps surveys and tours waiting, then closes by itself unless the user is on it', () => {
    vi.useFakeTimers()
    const { track, ctx } = mount(undefined, { reducedMotion: true })
    act(() => ONBOARDING.forEach((e) => track(e)))
    const survey = vi.fn()
    ctx.screen.when(survey)
    // The user is reading it (the pointer moves over it): it stays.
    fireEvent.pointerMove(screen.getByRole('region'))
    act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
    expect(screen.queryByText('All done!')).not.toBeNull()
    act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
    expect(screen.queryByText('All done!')).toBeNull()
    // A few seconds of calm after it went, then the survey waiting all along may show.
    expect(survey).not.toHaveBeenCalled()
    act(() => void vi.advanceTimersByTime(3000))
    expect(survey).toHaveBeenCalledOnce()
  })

  it('in Chinese, the resume button reads as Chinese writes it (a full-width colon), the title whole', async () => {
    const { messages: zh } = await import('../platform/messages/zh')
    mount(undefined, { locale: 'zh', catalog: zh })
    fireEvent.click(screen.getByRole('button', { name: /已完成/ }))
    fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: '隐藏清单' }))
    expect(screen.getByRole('button', { name: '继续清单：Get started with Acme Projects' })).toBeTruthy()
  })

  describe('a finished list', () => {
    const pill = () => screen.queryByRole('button', { name: /tasks? done/ })

    it('once its celebration panel is closed, its "✓ 4/4" launcher leaves the corner; the badges button stays', () => {
      const { track } = mount(undefined, { reducedMotion: true })
      act(() => ONBOARDING.forEach((e) => track(e)))
      expect(screen.getByText('All done!')).toBeTruthy()
      fireEvent.click(screen.getByRole('button', { name: 'Close checklist' }))
      expect(screen.queryByRole('region')).toBeNull()
      expect(pill()).toBeNull()
      // Focus the close button sent back does not fall to the top of the page with the pill.
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Badges' }))
    })

    it('closed by itself after its time, the celebration takes the launcher with it', () => {
      vi.useFakeTimers()
      const { track } = mount({ ...exampleFlows, badges: [], levels: [] }, { reducedMotion: true })
      act(() => ONBOARDING.forEach((e) => track(e)))
      act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
      expect(screen.queryByText('All done!')).toBeNull()
      expect(pill()).toBeNull()
      expect(document.querySelector('aside')).toBeNull()
    })

    it('its panel offers "Hide checklist": the user hides it, the launcher goes, and the event says the list was completed', () => {
      const { track, events } = mount(undefined, { reducedMotion: true })
      act(() => ONBOARDING.forEach((e) => track(e)))
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
      expect(screen.queryByRole('region')).toBeNull()
      expect(pill()).toBeNull()
      expect(screen.queryByRole('button', { name: /^Resume checklist/ })).toBeNull()
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Badges' }))
      expect(events('Checklist Dismissed').map((e) => e.properties)).toEqual([{ checklistId: 'getting-started', points: 0, completed: true }])
      expect(events('Checklist Completed')).toHaveLength(1)
    })

    it('hidden before it was done and finished afterwards, it does not come back to the corner: no "✓ 4/4", no resume button; the badges button stays', () => {
      const { track, open, events } = mount(undefined, { reducedMotion: true })
      open()
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
      act(() => ONBOARDING.forEach((e) => track(e)))
      expect(events('Checklist Completed')).toHaveLength(1)
      expect(pill()).toBeNull()
      expect(screen.queryByRole('button', { name: /^Resume checklist/ })).toBeNull()
      expect(screen.getByRole('button', { name: 'Badges' })).toBeTruthy()
    })

    it('put away, it still opens on linger.show(id), and goes again when closed', () => {
      const { track, experiences } = mount(undefined, { reducedMotion: true })
      act(() => ONBOARDING.forEach((e) => track(e)))
      fireEvent.click(screen.getByRole('button', { name: 'Close checklist' }))
      expect(pill()).toBeNull()
      act(() => void experiences.checklists.show?.('getting-started'))
      expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
      expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 4/ })).toBeTruthy()
      fireEvent.click(screen.getByRole('button', { name: 'Close checklist' }))
      expect(pill()).toBeNull()
    })
  })

  describe('with two lists', () => {
    const second = { id: 'power-user', title: 'Become a power user', tasks: [{ id: 'share', title: 'Share a board', doneWhen: { event: 'Board Shared' } }] }
    const twoLists = { ...exampleFlows, checklists: [...exampleFlows.checklists!, second] }

    it('the first, hidden from its "All done" panel, gives way to the next one on the launcher, which keeps the user\'s focus', () => {
      const { track } = mount(twoLists, { reducedMotion: true })
      act(() => ONBOARDING.forEach((e) => track(e)))
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
      const next = screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })
      expect(document.activeElement).toBe(next)
      expect(screen.queryByRole('button', { name: /^Get started/ })).toBeNull()
    })

    /** The user hides the first list, then the second from its launcher. */
    function hideBoth(open: () => void) {
      open()
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
      fireEvent.click(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' }))
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
    }
    const resumes = () => screen.queryAllByRole('button', { name: /^Resume checklist/ }).map((b) => b.textContent)

    it('both hidden, each has its own resume button naming it: the second comes back too, and hidden again, both are offered again', () => {
      const { open, events } = mount(twoLists)
      hideBoth(open)
      expect(resumes()).toEqual(['Resume checklist: Get started with Acme Projects', 'Resume checklist: Become a power user'])
      fireEvent.click(screen.getByRole('button', { name: 'Resume checklist: Become a power user' }))
      expect(screen.getByRole('region', { name: 'Become a power user' })).toBeTruthy()
      fireEvent.click(within(screen.getByRole('region')).getByRole('button', { name: 'Hide checklist' }))
      expect(resumes()).toEqual(['Resume checklist: Get started with Acme Projects', 'Resume checklist: Become a power user'])
      // Focus stays on the way back to the list just hidden, not on another list's button.
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Resume checklist: Become a power user' }))
      fireEvent.click(screen.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects' }))
      expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
      // One dismissal per hide the user made: none to get at a list behind another.
      expect(events('Checklist Dismissed').map((e) => e.properties.checklistId)).toEqual(['getting-started', 'power-user', 'power-user'])
    })

    it('the first, once done and celebrated, gives way to the next one on the launcher', () => {
      vi.useFakeTimers()
      const { track } = mount(twoLists, { reducedMotion: true })
      expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 0 of 4/ })).toBeTruthy()
      act(() => ONBOARDING.forEach((e) => track(e)))
      // its celebration first, on the list just finished
      expect(screen.getByText('All done!')).toBeTruthy()
      expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 4/ })).toBeTruthy()
      act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
      expect(screen.queryByText('All done!')).toBeNull()
      expect(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })).toBeTruthy()
    })

    it('a list the app opened, once done and celebrated, gives way to the next one on the launcher', () => {
      vi.useFakeTimers()
      const { track, experiences } = mount(twoLists, { reducedMotion: true })
      act(() => void experiences.checklists.show?.('getting-started'))
      fireEvent.keyDown(screen.getByRole('region'), { key: 'Escape' })
      const input = onHostButton()
      act(() => ONBOARDING.forEach((e) => track(e)))
      expect(screen.getByText('All done!')).toBeTruthy()
      act(() => void vi.advanceTimersByTime(CELEBRATE_MS))
      expect(screen.queryByRole('region')).toBeNull()
      expect(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })).toBeTruthy()
      expect(document.activeElement).toBe(input)
    })

    it('a list the app opened does not take the celebration of another one', () => {
      const { track, experiences } = mount(twoLists, { reducedMotion: true })
      act(() => void experiences.checklists.show?.('getting-started'))
      expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
      fireEvent.keyDown(screen.getByRole('region'), { key: 'Escape' })
      expect(screen.queryByRole('region')).toBeNull()
      act(() => track('Board Shared'))
      expect(screen.getByText('All done!')).toBeTruthy()
      expect(screen.getByRole('region', { name: 'Become a power user' })).toBeTruthy()
    })

    it('the list whose panel the user opened, finished while open, celebrates there: the panel does not turn to the next list', () => {
      const { track } = mount(twoLists, { reducedMotion: true })
      fireEvent.click(screen.getByRole('button', { expanded: false, name: /^Get started with Acme Projects: 0 of 4/ }))
      act(() => ONBOARDING.forEach((e) => track(e)))
      expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
      expect(screen.getByText('All done!')).toBeTruthy()
    })

    it('another list finished while the user works in the open panel of the first does not take the panel from under their focus', () => {
      const { track } = mount(twoLists, { reducedMotion: true })
      fireEvent.click(screen.getByRole('button', { expanded: false, name: /^Get started with Acme Projects: 0 of 4/ }))
      const hide = screen.getByRole('button', { name: 'Hide checklist' })
      act(() => hide.focus())
      // A background job the app tracks finishes the other list.
      act(() => track('Board Shared'))
      expect(screen.getByRole('region', { name: 'Get started with Acme Projects' })).toBeTruthy()
      expect(document.activeElement).toBe(hide)
      expect(screen.queryByText('All done!')).toBeNull()
    })

    it('the launcher shows the list the vendor ranked higher (priority), not the one written first', () => {
      mount({ ...twoLists, checklists: [exampleFlows.checklists![0], { ...second, priority: 10 }] } as never, { reducedMotion: true })
      expect(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })).toBeTruthy()
    })

    it('a list finished before this page shows the next one still to do', () => {
      const s = setup(twoLists)
      act(() => ['Signed In', ...ONBOARDING].forEach((e) => s.track(e)))
      render(<Checklist ctx={s.ctx} />)
      expect(screen.getByRole('button', { name: 'Become a power user: 0 of 1 task done' })).toBeTruthy()
    })
  })

  it('a finished list the vendor added a task to does not say "All done!" or tick the launcher while that task is left', () => {
    vi.useFakeTimers()
    const { track, host } = mount(undefined, { reducedMotion: true })
    act(() => ONBOARDING.forEach((e) => track(e)))
    act(() => void vi.advanceTimersByTime(2 * CELEBRATE_MS))
    // The next release of the flows asks for one more thing.
    const [list] = exampleFlows.checklists!
    const slack = { id: 'slack', title: 'Connect Slack', doneWhen: { event: 'Slack Connected' } }
    act(() => (host.flows as unknown as { set(v: object): void }).set({ ...host.flows.get(), checklists: [{ ...list, tasks: [...list.tasks, slack] }] }))
    const launcher = screen.getByRole('button', { name: /^Get started with Acme Projects: 4 of 5/ })
    expect(launcher.textContent).not.toContain('✓')
    fireEvent.click(launcher)
    const panel = screen.getByRole('region', { name: 'Get started with Acme Projects' })
    expect(within(panel).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('4')
    expect(within(panel).queryByText('All done!')).toBeNull()
    // Done once it is done, quietly: the list was completed (and rewarded) already.
    act(() => track('Slack Connected'))
    expect(screen.getByRole('button', { name: /^Get started with Acme Projects: 5 of 5/ }).textContent).toContain('✓')
    expect(within(panel).getByText('All done!')).toBeTruthy()
  })

  it('a VoiceOver user in Safari hears the tasks as a list of four: the list states its role, which WebKit drops from a list drawn without bullets', () => {
    const { open } = mount()
    open()
    const list = within(screen.getByRole('region')).getByRole('list')
    expect(within(list).getAllByRole('listitem')).toHaveLength(4)
    // `list-style: none` (styles.ts) makes WebKit expose the ul as a plain group, unless its role is explicit.
    expect(list.getAttribute('role')).toBe('list')
  })

  it('renders markup in config text as text', () => {
    const xss = '<img src=x onerror="window.__xss=1">'
    const flows = { ...exampleFlows, checklists: [{ ...exampleFlows.checklists![0], title: xss, description: xss, tasks: [{ id: 't', title: xss, doneWhen: { event: 'x' }, cta: { label: xss, url: '/ok' } }] }] } as never
    const { open } = mount(flows)
    fireEvent.click(screen.getByRole('button', { expanded: false, name: /1 task done/ }))
    void open
    expect(document.querySelector('img')).toBeNull()
    expect(screen.getByRole('heading').textContent).toBe(xss)
    expect(screen.getByRole('link').textContent).toBe(xss)
  })
})

describe('with another tab of the same user', () => {
  it('a keyboard user on the resume button of a hidden list that gets finished meanwhile lands on the badges button, not at the top of the page', () => {
    const { open, track } = mount()
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Hide checklist' }), { detail: 0 })
    const resume = screen.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects' })
    expect(document.activeElement).toBe(resume)
    // Its last tasks done (here from a background job; as well in another tab): it leaves the corner.
    act(() => ONBOARDING.forEach((e) => track(e)))
    expect(screen.queryByRole('button', { name: /^Resume checklist/ })).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Badges' }))
  })

  it('a keyboard user in the open panel when the list is hidden in another tab lands on its resume button, not at the top of the page', () => {
    const { open, host } = mount()
    open()
    expect(document.activeElement?.tagName).toBe('H2')
    // The other tab's "Hide checklist", as this tab hears it.
    act(() => host.state.set('checklist:getting-started', { ...host.state.get<object>('checklist:getting-started'), status: 'dismissed' }))
    expect(screen.queryByRole('region')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Resume checklist: Get started with Acme Projects' }))
  })

  it('a signed-in user\'s progress from their laptop is not read out task by task as done just now: the launcher says where the list stands, and a task done here is still announced', () => {
    const { track, host, ctx } = mount()
    act(() => track('Project Created'))
    expect(ctx.announced).toEqual(['Task completed: Create your first project'])
    // The sync takes in what the laptop wrote: two more tasks, done there last week.
    act(() => (host.state as LiveExperienceState).takeIn({ 'checklist:getting-started': { status: 'started', done: { 'create-project': 1, 'add-tasks': 2, invite: 3 } } }))
    expect(screen.getByRole('button', { name: 'Get started with Acme Projects: 3 of 4 tasks done' })).toBeTruthy()
    expect(ctx.announced).toEqual(['Task completed: Create your first project'])
    // The last task, done here, is named.
    act(() => track('Report Exported'))
    expect(ctx.announced.slice(1)).toEqual(['Task completed: Export a report', 'Checklist completed: Get started with Acme Projects'])
  })

  it('a list whose last tasks were done on the user\'s laptop completes here quietly: no "All done!" panel pops open over their work for what they did elsewhere', () => {
    const { track, host, ctx } = mount()
    act(() => track('Project Created'))
    // The sync takes in the laptop's copy: every other task done there, the list not yet completed
    // by either device (each did some of it).
    act(() => (host.state as LiveExperienceState).takeIn({ 'checklist:getting-started': { status: 'started', done: { 'create-project': 1, 'add-tasks': 2, invite: 3, export: 4 } } }))
    expect(host.state.get<{ status: string }>('checklist:getting-started')?.status).toBe('completed')
    expect(ctx.announced).toContain('Checklist completed: Get started with Acme Projects')
    expect(screen.queryByRole('region', { name: 'Get started with Acme Projects' })).toBeNull()
  })

  it('tasks the vendor named like built-in properties ("constructor", "toString") are announced when done here, once, and not before', () => {
    const flows = structuredClone(exampleFlows)
    flows.checklists![0].tasks = [
      { id: 'constructor', title: 'Build a form', doneWhen: { event: 'Form Built' } },
      { id: 'toString', title: 'Name it', doneWhen: { event: 'Form Named' } },
    ] as never
    const { track, ctx } = mount(flows)
    act(() => track('Form Built'))
    act(() => track('Signed In'))
    expect(ctx.announced).toEqual(['Task completed: Build a form'])
  })

  it('a list that starts in another tab with a task done long before does not announce that task here as just done', () => {
    // The list is for users who chose a plan; they created a project before that, in another tab.
    const flows = structuredClone(exampleFlows)
    flows.checklists![0].audience = { event: 'Plan Chosen' } as never
    const here = setup(flows)
    render(<Checklist ctx={here.ctx} />)
    const other = createTestHost(flows)
    createChecklists(other.host)
    // This tab hears each of the other tab's writes as it was made (a storage event per write).
    const writes: Array<[string, string]> = []
    const set = other.platform.storage.set
    other.platform.storage.set = (k, v) => (k.startsWith('linger:state:') && writes.push([k, v]), set(k, v))
    other.track('Project Created')
    other.track('Plan Chosen')
    for (const [k, v] of writes) {
      here.platform.storageMap.set(k, v)
      act(() => here.platform.fireStorage(k))
    }
    expect(screen.getByRole('button', { name: 'Get started with Acme Projects: 1 of 4 tasks done' })).toBeTruthy()
    expect(here.ctx.announced).toEqual([])
  })
})
