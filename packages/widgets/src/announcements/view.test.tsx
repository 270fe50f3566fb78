// @vitest-environment jsdom
import type { AnnouncementsController } from '@linger/sdk'
import { atom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/preact'
import { createTestContext } from '../platform/test-context'
import { Feed } from './view'
import { messages as english } from '../platform/messages/en'
import { messages } from '../notice/messages-en'

Object.assign(english, messages)
const tz = process.env.TZ

afterEach(() => {
  cleanup()
  process.env.TZ = tz
})

/** The feed's controller as the SDK gives it, with these items open. */
function controller(items: Array<{ id: string; title: string; publishedAt?: string }>) {
  const $feed = atom({ items: items.map((a) => ({ format: 'feed' as const, ...a })), unread: 0, open: true })
  return { $feed, openFeed() {}, closeFeed() {}, act() {}, asked: () => '' } as unknown as AnnouncementsController
}

describe('the "what\'s new" feed', () => {
  it('shows an item whose date cannot be read without a date, and keeps the launcher and the other items', () => {
    const ctx = createTestContext()
    const c = controller([
      { id: 'templates', title: 'Templates are here', publishedAt: '2026-13-45' },
      { id: 'reports', title: 'Live reports', publishedAt: '2026-09-15' },
    ])
    render(<Feed ctx={ctx} c={c} />)
    expect(ctx.failures).toEqual([])
    expect(screen.getByText('Templates are here')).toBeTruthy()
    expect(document.querySelector('time[datetime="2026-13-45"]')?.textContent).toBe('')
    expect(document.querySelector('time[datetime="2026-09-15"]')?.textContent).toBe('Sep 15, 2026')
    expect(document.querySelector('button.launcher')).toBeTruthy()
    ctx.cleanup()
  })

  it('dates an item published at a time by the reader\'s own day (22:00 UTC on 1 November is Nov 2 in Sydney), a date alone as written', () => {
    process.env.TZ = 'Australia/Sydney'
    const ctx = createTestContext()
    render(<Feed ctx={ctx} c={controller([{ id: 'a', title: 'A', publishedAt: '2026-11-01T22:00Z' }, { id: 'b', title: 'B', publishedAt: '2026-11-02T09:00+11:00' }, { id: 'c', title: 'C', publishedAt: '2026-11-02' }])} />)
    expect([...document.querySelectorAll('time')].map((t) => t.textContent)).toEqual(['Nov 2, 2026', 'Nov 2, 2026', 'Nov 2, 2026'])
    ctx.cleanup()
  })
})
