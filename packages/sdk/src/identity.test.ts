import { describe, expect, it } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { groupReducer, identifyReducer, loadIdentity, resetIdentity, saveIdentity, userKey } from './identity'

describe('identity', () => {
  it('keeps the same anonymousId across page loads', () => {
    const p = createFakePlatform()
    const first = loadIdentity(p.storage, p.random)
    const again = loadIdentity(p.storage, p.random)
    expect(again.anonymousId).toBe(first.anonymousId)
    expect(first.anonymousId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('starts over when the stored identity is corrupt', () => {
    const p = createFakePlatform()
    p.storage.set('linger:identity', '{not json')
    expect(loadIdentity(p.storage, p.random).anonymousId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('a stored identity of another shape (a damaged copy, another script’s) never has the collector refuse every event of the device', () => {
    const p = createFakePlatform()
    // The collector refuses ids that are not strings of 1 to 200 characters, and every event carries these (an empty one is left out).
    const valid = (id: unknown) => !id || (typeof id === 'string' && id.length <= 200 && !id.includes('\u0000') && id[0] !== '\u0001')
    for (const stored of [
      { anonymousId: 'a'.repeat(201) },
      { anonymousId: 'anon-1', userId: { id: 42 }, userHash: 7, traits: null, groupTraits: 'acme' },
      { anonymousId: 'anon-1', userId: '', groupId: ['acme'], groupHash: 'gh' },
      // Ids the collector refuses (U+0001 first in a userId: its mark of a visitor) or cannot store (a NUL).
      { anonymousId: 'anon-1', userId: '\u0001anon-2', userHash: 'uh' },
      { anonymousId: 'anon-1', userId: 'ann\u0000', userHash: 'uh' },
      { anonymousId: 'anon-\u0000', groupId: 'acme\u0000' },
    ]) {
      p.storage.set('linger:identity', JSON.stringify(stored))
      const id = loadIdentity(p.storage, p.random)
      expect([id.anonymousId, id.userId, id.groupId].every(valid), JSON.stringify(stored)).toBe(true)
      expect([id.userHash, id.groupHash].every((h) => h === undefined || typeof h === 'string')).toBe(true)
      expect([typeof id.traits, typeof id.groupTraits, Array.isArray(id.traits)]).toEqual(['object', 'object', false])
      expect(id.traits && id.groupTraits).toBeTruthy()
      // A hash vouches for its own user or group only: gone with them.
      if (id.groupId === undefined) expect(id.groupHash).toBeUndefined()
    }
    // A well-formed user keeps everything.
    const ann = { anonymousId: 'anon-1', userId: 'ann', userHash: 'uh', groupId: 'acme', groupHash: 'gh', traits: { plan: 'pro' }, groupTraits: { seats: 3 } }
    p.storage.set('linger:identity', JSON.stringify(ann))
    expect(loadIdentity(p.storage, p.random)).toEqual(ann)
    // So does one whose app passed an empty userHash (its server had none).
    const unvouched = identifyReducer({ anonymousId: 'anon-1', traits: {}, groupTraits: {} }, 'ann', {}, '')
    saveIdentity(p.storage, unvouched)
    expect(loadIdentity(p.storage, p.random)).toEqual(unvouched)
  })

  it('identify keeps the device id so the collector can stitch anonymous and known activity', () => {
    const p = createFakePlatform()
    const anon = loadIdentity(p.storage, p.random)
    const known = identifyReducer(anon, 'u_42', { plan: 'pro' }, 'hash')
    expect(known).toMatchObject({ anonymousId: anon.anonymousId, userId: 'u_42', userHash: 'hash', traits: { plan: 'pro' } })
    expect(userKey(known)).toBe('u:u_42')
    expect(userKey(anon)).toBe(`a:${anon.anonymousId}`)
  })

  it('traits accumulate for the same user and start fresh for another', () => {
    const base = { anonymousId: 'a', traits: {}, groupTraits: {} }
    const one = identifyReducer(identifyReducer(base, 'u1', { plan: 'pro' }, 'h1'), 'u1', { seats: 3 }, undefined)
    expect(one.traits).toEqual({ plan: 'pro', seats: 3 })
    expect(one.userHash).toBe('h1')
    const two = identifyReducer(one, 'u2', { plan: 'free' }, undefined)
    expect(two.traits).toEqual({ plan: 'free' })
    expect(two.userHash).toBeUndefined()
  })

  it('another user does not inherit the last user’s account; a visitor who signs in keeps theirs', () => {
    const ana = identifyReducer({ anonymousId: 'a', traits: {}, groupTraits: {} }, 'ana', {}, undefined)
    const inAccount = { ...ana, groupId: 'acct_ana', groupTraits: { paymentStatus: 'past_due' }, groupHash: 'g' }
    const bob = identifyReducer(inAccount, 'bob', {}, undefined)
    expect([bob.groupId, bob.groupTraits, bob.groupHash]).toEqual([undefined, {}, undefined])
    expect(identifyReducer(inAccount, 'ana', { seats: 3 }, undefined).groupId).toBe('acct_ana')
    const visitor = { anonymousId: 'a', traits: {}, groupId: 'acct_new', groupTraits: { plan: 'trial' } }
    expect(identifyReducer(visitor, 'cy', {}, undefined)).toMatchObject({ groupId: 'acct_new', groupTraits: { plan: 'trial' } })
  })

  it('group() again for the same account adds to its traits, as identify() does; another account starts afresh', () => {
    const ana = identifyReducer({ anonymousId: 'a', traits: {}, groupTraits: {} }, 'ana', {}, undefined)
    const acme = groupReducer(ana, 'acme', { plan: 'enterprise', billing: 'past_due' }, 'g1')
    // A page that only names the account (its layout calls group('acme') on every route).
    expect(groupReducer(acme, 'acme', {}, 'g1').groupTraits).toEqual({ plan: 'enterprise', billing: 'past_due' })
    expect(groupReducer(acme, 'acme', { billing: 'paid' }, 'g1')).toMatchObject({ groupId: 'acme', groupTraits: { plan: 'enterprise', billing: 'paid' }, groupHash: 'g1' })
    expect(groupReducer(acme, 'globex', { seats: 3 }, undefined)).toMatchObject({ groupId: 'globex', groupTraits: { seats: 3 }, groupHash: undefined })
  })

  it('reset gives a brand-new anonymous person', () => {
    const p = createFakePlatform()
    const known = identifyReducer(loadIdentity(p.storage, p.random), 'u_42', {}, undefined)
    saveIdentity(p.storage, known)
    const fresh = resetIdentity(p.random)
    expect(fresh.userId).toBeUndefined()
    expect(fresh.anonymousId).not.toBe(known.anonymousId)
  })
})
