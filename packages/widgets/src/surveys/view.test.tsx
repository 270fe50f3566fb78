// @vitest-environment jsdom
import { atom } from 'nanostores'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { act } from 'preact/test-utils'
import { configure, fireEvent, within } from '@testing-library/preact'
import type { Linger } from '@linger/sdk'
import { createTestContext, type TestContext } from '../platform/test-context'
import { render } from './view'
import type { SurveyConfig, SurveySession } from './types'

const nps: SurveyConfig = {
  id: 'nps-quarterly',
  kind: 'nps',
  question: 'How likely are you to recommend Acme Projects to a colleague?',
  followUp: { detractor: 'What disappointed you the most?' },
}

// Events flush Preact's re-render before the test looks, as a user would see it.
configure({
  eventWrapper: (cb) => {
    let result
    act(() => void (result = cb()))
    return result
  },
})

let ctx: TestContext | undefined
let unmount: (() => void) | undefined
afterEach(() => {
  unmount?.()
  ctx?.cleanup()
  document.body.innerHTML = ''
})

/** Renders the survey widget over a stand-in controller whose session the test drives. */
function show(survey: SurveyConfig, overrides: Partial<SurveySession> = {}, locale = 'en') {
  const $session = atom<SurveySession | null>({ survey, responseId: 'r1', step: 'ask', ...overrides })
  const surveys = { $session, answer: vi.fn(), comment: vi.fn(), close: vi.fn(), commentMax: 1000 }
  ctx = createTestContext({ locale, linger: { experiences: { surveys } } as unknown as Partial<Linger> })
  act(() => void (unmount = render(ctx!)))
  const host = document.querySelector('[data-linger^="survey"]') as HTMLElement
  const screen = within(host.shadowRoot as unknown as HTMLElement)
  return { surveys, $session, screen, root: host.shadowRoot as ShadowRoot }
}

describe('the survey widget', () => {
  it('asks NPS as a radio group of 0–10 with spoken and visible end labels', () => {
    const { screen } = show(nps)
    const group = screen.getByRole('radiogroup', { name: nps.question })
    const options = within(group).getAllByRole('radio')
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual(['0, Not at all likely', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10, Extremely likely'])
    expect(screen.getByText('Not at all likely')).toBeTruthy()
    expect(screen.getByText('Extremely likely')).toBeTruthy()
  })

  it('arrow keys move the checked score and focus with it; only one option is in the tab order', () => {
    const { screen, root } = show(nps)
    const options = screen.getAllByRole('radio')
    expect(options.filter((o) => o.tabIndex === 0)).toHaveLength(1)
    fireEvent.keyDown(options[0], { key: 'ArrowRight' })
    fireEvent.keyDown(options[1], { key: 'ArrowRight' })
    expect(options[2].getAttribute('aria-checked')).toBe('true')
    expect(root.activeElement).toBe(options[2])
    fireEvent.keyDown(options[2], { key: 'End' })
    expect(options[10].getAttribute('aria-checked')).toBe('true')
    fireEvent.keyDown(options[10], { key: 'ArrowRight' })
    expect(options[0].getAttribute('aria-checked')).toBe('true')
  })

  it('moving with the arrows sends nothing; Enter sends the checked score', () => {
    const { screen, surveys } = show(nps)
    const options = screen.getAllByRole('radio')
    fireEvent.keyDown(options[0], { key: 'End' })
    fireEvent.keyDown(options[10], { key: 'ArrowLeft' })
    expect(surveys.answer).not.toHaveBeenCalled()
    fireEvent.keyDown(options[9], { key: 'Enter' })
    expect(surveys.answer).toHaveBeenCalledWith({ score: 9 })
  })

  it('Enter on a score nobody checked sends nothing; Space checks the focused score, Enter then sends it', () => {
    const { screen, surveys } = show(nps)
    const options = screen.getAllByRole('radio')
    const enter = fireEvent.keyDown(options[0], { key: 'Enter' })
    expect(enter).toBe(false) // the button's own Enter click is cancelled too
    expect(surveys.answer).not.toHaveBeenCalled()
    expect(options[0].getAttribute('aria-checked')).toBe('false')
    fireEvent.keyDown(options[0], { key: ' ' })
    expect(options[0].getAttribute('aria-checked')).toBe('true')
    expect(surveys.answer).not.toHaveBeenCalled()
    fireEvent.keyDown(options[0], { key: 'Enter' })
    expect(surveys.answer).toHaveBeenCalledWith({ score: 0 })
  })

  it('keys act on the score that has focus: focus that reached "10" some other way (Shift+Tab in a dialog) checks and sends 10, never 0', () => {
    const { screen, surveys } = show(nps)
    const options = screen.getAllByRole('radio')
    act(() => options[10].focus())
    fireEvent.keyDown(options[10], { key: ' ' })
    expect(options[10].getAttribute('aria-checked')).toBe('true')
    expect(options[0].getAttribute('aria-checked')).toBe('false')
    fireEvent.keyDown(options[10], { key: 'Enter' })
    expect(surveys.answer).toHaveBeenCalledWith({ score: 10 })
    expect(surveys.answer).toHaveBeenCalledTimes(1)
  })

  it('a corner survey appears without taking focus from the page, and is announced', () => {
    const button = document.body.appendChild(document.createElement('button'))
    button.focus()
    show(nps)
    expect(document.activeElement).toBe(button)
    expect(ctx!.announced).toContain('Survey: How likely are you to recommend Acme Projects to a colleague?')
  })

  it('a corner survey the user just asked for (a "Give feedback" button calling linger.show) takes focus, so a keyboard user need not Tab through the page to it; Escape takes them back to the button', () => {
    const feedback = document.body.appendChild(document.createElement('button'))
    document.body.appendChild(document.createElement('input'))
    feedback.focus()
    Object.defineProperty(navigator, 'userActivation', { value: { isActive: true }, configurable: true })
    try {
      const { root, $session } = show(nps, { asked: true })
      expect(root.activeElement?.getAttribute('role')).toBe('dialog')
      // Nothing is checked: the Enter that pressed the button, held on, sends no score.
      fireEvent.keyDown(root.activeElement!, { key: 'Enter' })
      expect(within(root as unknown as HTMLElement).getAllByRole('radio').some((o) => o.getAttribute('aria-checked') === 'true')).toBe(false)
      fireEvent.keyDown(root.activeElement!, { key: 'Escape' })
      act(() => $session.set(null))
      expect(document.activeElement).toBe(feedback)
    } finally {
      delete (navigator as { userActivation?: unknown }).userActivation
    }
  })

  it('a survey the vendor\'s code shows on its own (show(id) with no click or key just before) takes no focus from the page', () => {
    const search = document.body.appendChild(document.createElement('input'))
    search.focus()
    Object.defineProperty(navigator, 'userActivation', { value: { isActive: false }, configurable: true })
    try {
      show(nps, { asked: true })
      expect(document.activeElement).toBe(search)
    } finally {
      delete (navigator as { userActivation?: unknown }).userActivation
    }
  })

  it('a corner survey closed from the keyboard gives focus back to where the user came from, not to where it was when the survey appeared', () => {
    const search = document.body.appendChild(document.createElement('input'))
    const other = document.body.appendChild(document.createElement('button'))
    search.focus()
    const { screen, $session } = show(nps)
    other.focus()
    const first = screen.getAllByRole('radio')[0]
    act(() => first.focus())
    fireEvent.keyDown(first, { key: 'Escape' })
    act(() => $session.set(null))
    expect(document.activeElement).toBe(other)
  })

  it('a corner survey answered with a click leaves focus alone when it goes', () => {
    const search = document.body.appendChild(document.createElement('input'))
    search.focus()
    const { screen, $session, surveys } = show(nps)
    const three = screen.getByRole('radio', { name: '3' })
    fireEvent.pointerDown(three)
    act(() => three.focus())
    fireEvent.click(three)
    const send = screen.getByRole('button', { name: 'Send' })
    fireEvent.pointerDown(send)
    fireEvent.click(send)
    expect(surveys.answer).toHaveBeenCalledWith({ score: 3 })
    act(() => $session.set(null))
    expect(document.activeElement).not.toBe(search)
  })

  it('in a right-to-left locale the left arrow moves to the next score', () => {
    const options = show(nps, {}, 'ar').screen.getAllByRole('radio')
    fireEvent.keyDown(options[0], { key: 'ArrowLeft' })
    expect(options[1].getAttribute('aria-checked')).toBe('true')
  })

  it("the browser's own arrow shortcuts (Alt+← is Back, Ctrl and ⌘ with arrows) pass through the score row and change no score, as on a native radio; Ctrl+Enter still sends only the checked score", () => {
    const { screen, surveys } = show(nps)
    const options = screen.getAllByRole('radio')
    fireEvent.keyDown(options[0], { key: 'ArrowRight' })
    for (const mod of [{ altKey: true }, { ctrlKey: true }, { metaKey: true }])
      for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']) {
        const passed = fireEvent.keyDown(options[1], { key, ...mod })
        expect(passed).toBe(true)
        expect(options.map((o) => o.getAttribute('aria-checked')).indexOf('true')).toBe(1)
      }
    act(() => options[5].focus())
    expect(fireEvent.keyDown(options[5], { key: 'Enter', ctrlKey: true })).toBe(false)
    expect(surveys.answer).toHaveBeenCalledWith({ score: 1 })
    expect(surveys.answer).toHaveBeenCalledTimes(1)
  })

  it('a tap on a score only picks it: a mis-tap on the neighbour (2 px apart at 320 px) is put right with another tap, and only Send sends, once, the score the user settled on', () => {
    const { screen, surveys } = show(nps)
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement
    expect(send.disabled).toBe(true)
    fireEvent.click(screen.getByRole('radio', { name: '8' }))
    expect(surveys.answer).not.toHaveBeenCalled()
    expect(screen.getByRole('radio', { name: '8' }).getAttribute('aria-checked')).toBe('true')
    fireEvent.click(screen.getByRole('radio', { name: '9' }))
    expect(surveys.answer).not.toHaveBeenCalled()
    expect(screen.getByRole('radio', { name: '8' }).getAttribute('aria-checked')).toBe('false')
    fireEvent.click(send)
    expect(surveys.answer).toHaveBeenCalledWith({ score: 9 })
    expect(surveys.answer).toHaveBeenCalledTimes(1)
  })

  it('CSAT as stars and as emoji still speaks every point in words', () => {
    const csat: SurveyConfig = { id: 'csat-export', kind: 'csat', question: 'How satisfied?', display: 'stars' }
    const labels = show(csat).screen.getAllByRole('radio').map((o) => o.getAttribute('aria-label'))
    expect(labels).toEqual(['1, Very dissatisfied', '2, Dissatisfied', '3, Neutral', '4, Satisfied', '5, Very satisfied'])
  })

  it('CES on 7 runs from very difficult to very easy', () => {
    const labels = show({ id: 'ces', kind: 'ces', question: 'How easy?', scale: 7 }).screen.getAllByRole('radio').map((o) => o.getAttribute('aria-label'))
    expect(labels[0]).toBe('1, Very difficult')
    expect(labels[6]).toBe('7, Very easy')
  })

  it('the follow-up step asks the category question, counts characters, and says when text is too long', () => {
    const { screen, surveys } = show(nps, { step: 'comment', score: 3, category: 'detractor', prompt: 'What disappointed you the most?' })
    const box = screen.getByRole('textbox', { name: 'What disappointed you the most?' })
    fireEvent.input(box, { target: { value: 'Too slow' } })
    expect(screen.getByText('8 / 1,000')).toBeTruthy()
    fireEvent.input(box, { target: { value: 'x'.repeat(1042) } })
    expect(screen.getByText('1,042 / 1,000')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toContain('only the first 1,000 characters')
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(surveys.comment).toHaveBeenCalledWith('x'.repeat(1042))
  })

  it('the comment can be skipped', () => {
    const { screen, surveys } = show(nps, { step: 'comment', score: 10, prompt: true })
    expect(screen.getByRole('textbox', { name: 'Anything you would like to add? (optional)' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Skip' }))
    expect(surveys.comment).toHaveBeenCalledWith('')
  })

  it('Escape and the close button close the survey', () => {
    const { screen, surveys } = show(nps)
    fireEvent.keyDown(screen.getAllByRole('radio')[0], { key: 'Escape' })
    fireEvent.click(screen.getByRole('button', { name: 'Close survey' }))
    expect(surveys.close).toHaveBeenCalledTimes(2)
  })

  it('Escape pressed to cancel an IME composition in the comment box leaves the survey and the half-typed comment open', () => {
    const { screen, surveys } = show(nps, { step: 'comment', score: 3, category: 'detractor', prompt: 'What disappointed you the most?' })
    const box = screen.getByRole('textbox', { name: 'What disappointed you the most?' })
    fireEvent.input(box, { target: { value: 'とても遅い' } })
    // While composing, the browser sends Escape with isComposing: it cancels the composition.
    fireEvent.keyDown(box, { key: 'Escape', isComposing: true, keyCode: 229 })
    expect(surveys.close).not.toHaveBeenCalled()
    fireEvent.keyDown(box, { key: 'Escape' })
    expect(surveys.close).toHaveBeenCalledTimes(1)
  })

  it("keys typed into the comment box, and the score scale's arrows, do not set off the page's own keyboard shortcuts", () => {
    // The page's shortcuts ("/" to search, arrows for its slides) ignore keys typed in its fields;
    // its capture listeners still hear every key.
    const fired: string[] = []
    const heard: string[] = []
    const shortcuts = (e: KeyboardEvent) => ((e.target as HTMLElement).matches('input,textarea,select,[contenteditable]') || fired.push(`${e.type} ${e.key}`))
    const capture = (e: KeyboardEvent) => heard.push(e.key)
    document.addEventListener('keydown', shortcuts)
    document.addEventListener('keyup', shortcuts)
    document.addEventListener('keydown', capture, true)
    try {
      const { screen, $session } = show(nps)
      fireEvent.keyDown(screen.getAllByRole('radio')[0], { key: 'ArrowRight' })
      act(() => $session.set({ survey: nps, responseId: 'r1', step: 'comment', score: 3, category: 'detractor', prompt: 'What disappointed you the most?' }))
      const box = screen.getByRole('textbox', { name: 'What disappointed you the most?' })
      for (const key of ['s', '/', '?']) fireEvent.keyDown(box, { key }), fireEvent.keyUp(box, { key })
      expect(fired).toEqual([])
      expect(heard).toEqual(['ArrowRight', 's', '/', '?'])
      // A key on one of its buttons that the survey does nothing with is the page's.
      fireEvent.keyDown(screen.getByRole('button', { name: 'Skip' }), { key: '/' })
      expect(fired).toEqual(['keydown /'])
    } finally {
      document.removeEventListener('keydown', shortcuts)
      document.removeEventListener('keyup', shortcuts)
      document.removeEventListener('keydown', capture, true)
    }
  })

  it('a multiple-choice poll with "Other" sends the picked options and the other text', () => {
    const poll: SurveyConfig = { id: 'next', kind: 'choice', question: 'What next?', options: ['Gantt charts', 'Time tracking'], multiple: true, other: true }
    const { screen, surveys } = show(poll)
    const group = screen.getByRole('group', { name: 'What next?' })
    fireEvent.click(within(group).getByRole('checkbox', { name: 'Gantt charts' }))
    fireEvent.click(within(group).getByRole('checkbox', { name: 'Other' }))
    fireEvent.input(screen.getByRole('textbox', { name: 'Other, please specify' }), { target: { value: 'Dark mode' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(surveys.answer).toHaveBeenCalledWith({ choices: ['Gantt charts', 'other'], other: 'Dark mode' })
  })

  it('the "Other" box never cuts a paste short in silence: it takes all of it, and says when only the first 1000 characters will be sent', () => {
    const poll: SurveyConfig = { id: 'next', kind: 'choice', question: 'What next?', options: ['A'], other: true }
    const { screen, surveys } = show(poll)
    fireEvent.click(screen.getByRole('radio', { name: 'Other' }))
    const box = screen.getByRole('textbox', { name: 'Other, please specify' }) as HTMLInputElement
    // The browser itself cuts at maxLength, as the text is pasted: the user would never know.
    expect(box.maxLength).toBe(-1)
    fireEvent.input(box, { target: { value: 'Dark mode '.repeat(30) } })
    expect(screen.getByRole('status').textContent).toBe('')
    fireEvent.input(box, { target: { value: 'x'.repeat(1042) } })
    expect(screen.getByRole('status').textContent).toBe('Too long: only the first 1,000 characters will be sent.')
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(surveys.answer).toHaveBeenCalledWith({ choices: ['other'], other: 'x'.repeat(1042) })
  })

  it('"Other" text too long for the cap raises no warning once "Other" is unticked: none of it will be sent', () => {
    const poll: SurveyConfig = { id: 'next', kind: 'choice', question: 'What next?', options: ['A'], multiple: true, other: true }
    const { screen, surveys } = show(poll)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Other' }))
    fireEvent.input(screen.getByRole('textbox', { name: 'Other, please specify' }), { target: { value: 'x'.repeat(1042) } })
    expect(screen.getByRole('status').textContent).toBe('Too long: only the first 1,000 characters will be sent.')
    fireEvent.click(screen.getByRole('checkbox', { name: 'Other' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'A' }))
    expect(screen.getByRole('status').textContent).toBe('')
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(surveys.answer).toHaveBeenCalledWith(expect.objectContaining({ choices: ['A'] }))
  })

  it('a single-choice poll is a native radio group', () => {
    const poll: SurveyConfig = { id: 'next', kind: 'choice', question: 'What next?', options: ['A', 'B'] }
    const { screen, surveys } = show(poll)
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByRole('radio', { name: 'B' }))
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(surveys.answer).toHaveBeenCalledWith({ choices: ['B'], other: '' })
  })

  it('the thank-you is shown and announced; the survey goes away when the session ends', () => {
    const { screen, $session } = show(nps, { step: 'thanks', score: 9 })
    expect(screen.getByText('Thank you for your feedback!')).toBeTruthy()
    expect(ctx!.announced).toContain('Thank you for your feedback!')
    act(() => $session.set(null))
    expect(document.querySelector('[data-linger^="survey"]')).toBeNull()
  })

  it('a survey placed in the centre is a modal dialog', () => {
    const { screen } = show({ ...nps, placement: 'center' })
    expect(screen.getByRole('dialog', { name: 'Survey' }).getAttribute('aria-modal')).toBe('true')
  })

  it('a centred survey that comes up while someone goes on typing takes no score from their keys: their space and Enter pick and send nothing', () => {
    const field = document.body.appendChild(document.createElement('textarea'))
    field.focus()
    const { surveys, root, screen } = show({ ...nps, placement: 'center' })
    // They look at the keyboard, not the screen: the rest of their sentence goes where focus now is.
    for (const key of ['s', 'o', ' ', 'o', 'k', 'Enter']) fireEvent.keyDown(root.activeElement ?? document.activeElement!, { key })
    expect(surveys.answer).not.toHaveBeenCalled()
    expect(root.querySelectorAll('[aria-checked="true"]')).toHaveLength(0)
    // Focus is in the dialog all the same: a keyboard user is one Tab from its controls, and a
    // screen reader hears the question.
    expect(root.activeElement).toBe(screen.getByRole('dialog'))
    expect(ctx!.announced).toContain('Survey: How likely are you to recommend Acme Projects to a colleague?')
  })

  it('a corner survey is a non-modal dialog', () => {
    const { screen } = show(nps)
    expect(screen.getByRole('dialog', { name: 'Survey' }).getAttribute('aria-modal')).toBeNull()
  })
})
