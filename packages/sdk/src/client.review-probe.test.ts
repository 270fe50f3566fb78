import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import { createFront } from './snippet/replay'
import './sync/state-sync'
import './config/boot'

const flows = {
  version: 1,
  checklists: [{ id: 'getting-started', title: 'Start', tasks: [{ id: 'create-project', title: 'Create', doneWhen: { event: 'Project Created' } }] }],
}
function start(p: FakePlatform = createFakePlatform(), options: Record<string, unknown> = {}) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, ...options }, { platform: p })
  return { p, linger }
}
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
const boom = () => {
  throw new Error('boom')
}

describe('review probes: npm object never throws into the page', () => {
  it('group() with an options object whose getter throws does not throw (identify does not)', () => {
    const { linger } = start()
    const errors: string[] = []
    linger.on('error', (e) => errors.push(e.code))
    expect(() => linger.identify('ada', {}, new Proxy({}, { get: boom }))).not.toThrow()
    expect(() => linger.group('acme', {}, new Proxy({}, { get: boom }))).not.toThrow()
  })

  it('group() with a throwing host user listener does not throw', () => {
    const { linger } = start()
    linger.host.user.listen(boom)
    expect(() => linger.group('acme', { plan: 'pro' })).not.toThrow()
  })

  it('reset() with a throwing host usage listener does not throw (identify() does not)', () => {
    const { linger } = start()
    linger.identify('ada')
    linger.usage.listen(boom)
    expect(() => linger.reset()).not.toThrow()
  })
})

describe('review probes: loses nothing', () => {
  it('identify() still sends its identify event when a host usage listener throws', async () => {
    const { p, linger } = start(createFakePlatform(), { flows: { version: 1 } })
    linger.track('Task Created')
    linger.usage.listen(boom)
    linger.identify('u_42', { plan: 'pro' })
    await p.advance(3000)
    expect(sent(p).filter((e) => e.type === 'identify').map((e) => e.userId)).toEqual(['u_42'])
  })
})

describe('review probes: events attributed to the right user', () => {
  it('a snippet queue [identify, init] replays in order: the landing page view is the identified user, not the last one stored', async () => {
    const p = createFakePlatform()
    // Bob used this browser last and his session expired (no reset()).
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))
    const { replay } = createFront(
      (options, site) => createLinger(options as Record<string, unknown>, { platform: p, site }),
      '',
      () => {},
    )
    const page = { url: 'https://app.example.com/home', path: '/home', search: '', hash: '', title: 'Home', referrer: '' }
    replay([
      [['identify', 'ann', {}, { userHash: 'ann-hash' }], 1000, page.url, page.title],
      [['init', { key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }], 1001, page.url, page.title],
    ])
    await p.advance(3000)
    const views = sent(p).filter((e) => e.type === 'page')
    expect(views).toHaveLength(1)
    expect(views[0].userId).toBe('ann')
    expect(views[0].context.userHash).toBe('ann-hash')
  })

  it("a user's event held while the runtime starts does not tick the next visitor's checklist after reset()", async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform: p })
    linger.identify('ann')
    linger.track('Project Created') // Ann's action, before the engine runs
    linger.reset() // Ann signs out; a new visitor
    const visitor = linger.host.user.get().anonymousId
    await linger.ready
    await p.advance(3000)
    const grants = sent(p).filter((e) => e.event === 'Checklist Task Completed')
    // The visitor did not create a project: nothing may be granted to them.
    expect(grants.filter((e) => e.anonymousId === visitor && !e.userId)).toEqual([])
  })
})
