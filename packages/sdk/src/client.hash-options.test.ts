import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
// Loaded ahead, as a page that already synced has it, and the start chunk (client.test.ts says why).
import './sync/state-sync'
import './config/boot'

function start(p: FakePlatform = createFakePlatform()) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
  const errors: string[] = []
  linger.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
  return { p, linger, errors }
}
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])

describe('a userHash or groupHash handed over in the wrong form', () => {
  it('the hash passed as the third argument itself is reported by call and rule (the user is not silently sent unverified)', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42', { plan: 'pro' }, 'a1b2c3' as unknown as { userHash: string })
    linger.group('acme', {}, 'd4e5f6' as unknown as { groupHash: string })
    await p.advance(2000)
    expect(errors).toEqual([
      'invalid-call: identify needs its options as { userHash }, got "string"',
      'invalid-call: group needs its options as { groupHash }, got "string"',
    ])
    expect(errors.join()).not.toContain('a1b2c3')
    // The hash itself is not repeated (errors go to the vendor's error tracker); everything valid in the calls still goes: the user and the account, with their traits.
    expect(sent(p).filter((e) => e.type !== 'page')).toMatchObject([
      { type: 'identify', userId: 'u_42', traits: { plan: 'pro' } },
      { type: 'group', userId: 'u_42', groupId: 'acme' },
    ])
  })

  it('a misspelt option (user_hash, as Intercom spells it) is reported by name', () => {
    const { linger, errors } = start()
    linger.identify('u_42', {}, { user_hash: 'a1b2c3' } as unknown as { userHash: string })
    linger.group('acme', {}, { hash: 'd4e5f6' } as unknown as { groupHash: string })
    expect(errors).toEqual([
      'invalid-call: identify needs its options as { userHash }, got "user_hash"',
      'invalid-call: group needs its options as { groupHash }, got "hash"',
    ])
  })

  it('a userHash put among the traits (as Intercom takes its user_hash) is reported: the user would go unverified; it is not stored as a trait', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42', { plan: 'pro', userHash: 'a1b2c3' })
    expect(errors).toEqual(['invalid-call: identify needs its options as { userHash }, got "traits.userHash"'])
    await p.advance(2000)
    const identify = sent(p).find((e) => e.type === 'identify')!
    expect(identify).toMatchObject({ userId: 'u_42' })
    expect(identify.traits).toEqual({ plan: 'pro' })
    expect(linger.host.user.get().traits).toEqual({ plan: 'pro' })
  })

  it('a groupHash put among the group traits is reported, as a userHash among the user traits is: the account would go unverified; it is neither sent nor stored as a trait', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42')
    linger.group('g1', { name: 'G', groupHash: 'zz' })
    expect(errors).toEqual(['invalid-call: group needs its options as { groupHash }, got "traits.groupHash"'])
    await p.advance(2000)
    // Sent as a trait, the HMAC lands in the account's stored traits: anyone who reads them can vouch for the membership.
    expect(sent(p).find((e) => e.type === 'group')!.traits).toEqual({ name: 'G' })
    expect(linger.host.user.get().groupTraits).toEqual({ name: 'G' })
  })

  it('a groupHash among the traits is taken out even beside one given as it should be: that one vouches, the copy is not stored', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42')
    linger.group('g1', { name: 'G', groupHash: 'zz' }, { groupHash: 'zz' })
    expect(errors).toEqual(['invalid-call: group needs its options as { groupHash }, got "traits.groupHash"'])
    await p.advance(2000)
    expect(sent(p).find((e) => e.type === 'group')).toMatchObject({ traits: { name: 'G' }, context: { groupHash: 'zz' } })
    expect(sent(p).find((e) => e.type === 'group')!.traits).toEqual({ name: 'G' })
  })

  it('a userHash among the traits is taken out even beside one given as it should be: that one vouches, the copy is neither sent nor stored', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42', { plan: 'pro', userHash: 'a1b2c3' }, { userHash: 'a1b2c3' })
    expect(errors).toEqual(['invalid-call: identify needs its options as { userHash }, got "traits.userHash"'])
    await p.advance(2000)
    expect(sent(p).find((e) => e.type === 'identify')!.traits).toEqual({ plan: 'pro' })
    expect(linger.host.user.get().traits).toEqual({ plan: 'pro' })
  })

  it('options given as they should be say nothing', async () => {
    const { p, linger, errors } = start()
    linger.identify('u_42', { plan: 'pro' }, { userHash: 'a1b2c3' })
    linger.group('acme', {}, { groupHash: 'd4e5f6' })
    linger.identify('u_42', {}, undefined)
    linger.group('acme', {}, null as unknown as undefined)
    await p.advance(2000)
    expect(errors).toEqual([])
    expect(sent(p).find((e) => e.type === 'identify')).toMatchObject({ context: { userHash: 'a1b2c3' } })
  })
})
