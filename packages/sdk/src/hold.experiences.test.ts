import { describe, expect, it } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { createLinger } from './client'
import type { LingerEvent } from './events'
import './config/boot'

const flows = { version: 1, checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'export', title: 'Export a report', doneWhen: { event: 'Export Clicked' } }, { id: 'invite', title: 'Invite', doneWhen: { event: 'Invite Sent' } }] }] }

describe('holdForIdentify on a shared laptop: what the next person does before the session answer', () => {
  it("ticks the checklist of the user the answer names, not the last user's", async () => {
    const p = createFakePlatform()
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', traits: {}, groupTraits: {} }))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, holdForIdentify: 3000 } as never, { platform: p })
    await linger.ready
    await p.advance(100)
    linger.track('Export Clicked')
    await p.advance(300)
    linger.identify('ann')
    await p.advance(3000)
    const done = (key: string) => Object.keys(JSON.parse(p.storage.get(`linger:state:${key}`) ?? '{}')['checklist:start']?.done ?? {})
    expect(done('u:bob')).toEqual([])
    expect(done('u:ann')).toEqual(['export'])
    const ticks = p.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Checklist Task Completed')
    expect(ticks.map((e) => e.userId)).toEqual(['ann'])
  })
})

describe("holdForIdentify: nothing opens as the last user's while the app asks who is here", () => {
  const whatsNew = { version: 1, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.' }] }
  const start = () => {
    const p = createFakePlatform()
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', traits: {}, groupTraits: {} }))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: whatsNew, holdForIdentify: 3000 } as never, { platform: p })
    return { p, linger, modal: () => linger.experiences.announcements!.$modal.get()?.id ?? null }
  }
  const shownTo = (p: ReturnType<typeof createFakePlatform>) =>
    p.requests.flatMap((r) => (r.body?.batch ?? []) as LingerEvent[]).filter((e) => e.event === 'Announcement Shown').map((e) => e.userId)

  it("Ann, named by the session answer, sees the what's new as hers (Bob's stays unseen)", async () => {
    const { p, linger, modal } = start()
    await linger.ready
    await p.advance(200)
    expect(modal()).toBeNull()
    linger.identify('ann')
    await p.advance(0)
    expect(modal()).toBe('v3')
    await linger.flush()
    expect(shownTo(p)).toEqual(['ann'])
  })

  it('no answer within the cap: it opens then, as the stored user\'s', async () => {
    const { p, linger, modal } = start()
    await linger.ready
    await p.advance(2900)
    expect(modal()).toBeNull()
    await p.advance(200)
    expect(modal()).toBe('v3')
  })
})
