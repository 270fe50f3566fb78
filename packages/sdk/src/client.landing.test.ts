import { describe, expect, it } from 'vitest'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import { createLinger } from './client'
import type { LingerEvent } from './events'

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
// An app's own sign-in check that answers from its cache: a few awaits, no network.
const cachedSession = async () => {
  for (let i = 0; i < 5; i++) await null
  return { userId: 'ann', userHash: 'ann-hash' }
}

describe('the landing page view of an app that awaits its session before identify()', () => {
  it('goes as the user the app names, not as the last user of a shared laptop (with their userHash)', async () => {
    const p = createFakePlatform()
    // Bob used this browser last and his session expired (no reset()); Ann signs in.
    p.storage.set('linger:identity', JSON.stringify({ anonymousId: 'anon-1', userId: 'bob', userHash: 'bob-hash', traits: {}, groupTraits: {} }))
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
    const session = await cachedSession()
    linger.identify(session.userId, {}, { userHash: session.userHash })
    await linger.ready
    await p.advance(3000)
    expect(sent(p).map((e) => `${e.type}:${e.userId}:${e.context.userHash}`)).toEqual(['identify:ann:ann-hash', 'page:ann:ann-hash'])
  })

  it('still goes when nothing names anyone: an anonymous visitor\'s, once', async () => {
    const p = createFakePlatform()
    await createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p }).ready
    await p.advance(3000)
    expect(sent(p).map((e) => `${e.type}:${e.userId ?? ''}`)).toEqual(['page:'])
  })
})
