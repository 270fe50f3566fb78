// @vitest-environment jsdom
import type { Notice } from '@linger/sdk'
import { atom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render } from '@testing-library/preact'
import { createTestContext } from '../platform/test-context'
import { NoticeBanner, NoticeModal } from './notice'
import { modalCss } from './styles'
import { messages as english } from '../platform/messages/en'
import { messages } from './messages-en'

Object.assign(english, messages)
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

/** A banner as a controller gives it, over a page control that had focus. */
function banner(n: Notice, source: { act?: () => void; dismiss?: () => void } = {}) {
  const app = document.createElement('button')
  document.body.append(app)
  const $notice = atom<Notice | null>(n)
  const dismissed: string[] = []
  const ctx = createTestContext()
  const host = document.createElement('div')
  document.body.append(host)
  render(<NoticeBanner ctx={ctx} widget="announcements" source={{ $notice, act: source.act ?? (() => $notice.set(null)), dismiss: (id) => (dismissed.push(id), $notice.set(null)) }} host={host} />, { container: host })
  app.focus()
  return { app, ctx, dismissed, button: (label: string) => [...host.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === label || b.getAttribute('aria-label') === label)! }
}

describe('a banner closed from the keyboard', () => {
  it('its "Got it" button (no url: it closes the announcement) gives focus back to the page control the user came from', () => {
    const { app, ctx, button } = banner({ id: 'export', layout: 'banner', title: 'Export is here', action: { label: 'Got it' }, dismiss: 'dismiss' })
    const got = button('Got it')
    got.focus()
    fireEvent.click(got, { detail: 0 })
    expect(document.activeElement).toBe(app)
    ctx.cleanup()
  })
})

describe('a yearly offer being applied', () => {
  it('cannot be closed by its × or Esc until the vendor answered', () => {
    const { ctx, dismissed, button } = banner({ id: 'go-annual', layout: 'banner', title: 'Save 20%', action: { label: 'Switch to yearly' }, dismiss: 'dismiss', status: 'busy' }, { act: () => {} })
    const close = button('Dismiss')
    expect(close.disabled).toBe(true)
    fireEvent.keyDown(close.closest('section')!, { key: 'Escape' })
    expect(dismissed).toEqual([])
    ctx.cleanup()
  })
})

describe('the failed-payment wall after "Update card"', () => {
  it('still has its button once the portal opened: a user who closed it without paying can open it again', () => {
    const $notice = atom<Notice | null>({ id: 'card-failed', layout: 'modal', title: 'Update your card to keep going', action: { label: 'Update card' }, status: 'done' })
    const ctx = createTestContext()
    render(<NoticeModal ctx={ctx} widget="billing" source={{ $notice, act: () => {}, dismiss: () => {} }} />)
    expect([...document.querySelectorAll('.dialog button')].map((b) => b.textContent)).toEqual(['Update card'])
    ctx.cleanup()
  })
})

describe('the notice modal on a phone', () => {
  // Headless Chromium has no browser toolbar to show or hide, so this reads the rule itself. On a
  // phone `100vh` is the viewport with the toolbar hidden: with it shown, a dialog that tall
  // overflows the overlay (centred, both ends cut off) and its buttons are out of reach.
  it('is never taller than the overlay it sits in, which is what is on screen, so its buttons stay in reach', () => {
    const dialog = /\.dialog\{([^}]*)\}/.exec(modalCss)![1]
    expect(dialog).toContain('max-height:100%')
    expect(dialog).toContain('overflow:auto')
    expect(dialog).not.toMatch(/vh/)
  })
})
