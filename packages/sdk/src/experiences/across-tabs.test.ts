import { describe, expect, it } from 'vitest'
import type { ExperienceHost } from './host'
import { atom } from 'nanostores'
import { acrossTabs, granted, inTurn } from './across-tabs'
import { createFakePlatform, lateLocks } from '../fake-platform'

describe('a grant pass across tabs', () => {
  it('on a page without Web Locks, a pass that fails is reported, not thrown into the host page', () => {
    const errors: unknown[] = []
    const host = { reportError: (e: unknown) => errors.push(e) } as unknown as ExperienceHost
    const run = acrossTabs(host, () => {
      throw new TypeError('a list with no tasks record')
    })
    expect(() => run()).not.toThrow()
    expect(errors).toEqual([{ code: 'experience-failed', message: 'grant: TypeError: a list with no tasks record' }])
  })

  it('on a page without Web Locks, a disposed controller grants nothing more', () => {
    let passes = 0
    const run = acrossTabs({ reportError() {} } as unknown as ExperienceHost, () => void passes++)
    run()
    run.stop()
    run()
    expect(passes).toBe(1)
  })

  it('a grant made outside a lock turn (a list the app opens), in two tabs whose lock manager answers a task later, is sent once, by the tab that claimed it', async () => {
    // One browser's lock manager: a claim is granted (or refused) in a task of its own.
    const held = new Set<string>()
    const withLock = (name: string, fn: () => Promise<void>) =>
      new Promise<boolean>((r) => setTimeout(() => (held.has(name) ? r(false) : (held.add(name), void fn(), r(true)))))
    const tab = () => ({ platform: { withLock, setTimeout: () => 0, clearTimeout: () => {} }, user: atom({ userKey: 'u:ada' }), options: { key: 'pk' } }) as unknown as ExperienceHost
    const sent: Array<[string, string]> = []
    const [a, b] = [tab(), tab()]
    granted(a, 'badge:onboarded', (id) => sent.push(['a', id]))
    granted(b, 'badge:onboarded', (id) => sent.push(['b', id]))
    await new Promise((r) => setTimeout(r, 10))
    expect(sent.map(([t]) => t)).toEqual(['a'])
    expect(sent[0][1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/)
  })

  it('a page that goes (a reload, a link) before the lock manager answers its claim sends the grant as it goes, once: its state already says granted', () => {
    let hide = () => {}
    // A lock manager under load: the answer never comes before the page is gone.
    const platform = { withLock: () => new Promise<boolean>(() => {}), onPageHide: (fn: () => void) => ((hide = fn), () => (hide = () => {})), setTimeout: () => 0 }
    const host = { platform, user: atom({ userKey: 'u:ada' }), options: { key: 'pk' } } as unknown as ExperienceHost
    const sent: string[] = []
    granted(host, 'checklist:getting-started:invite', (id) => sent.push(id))
    expect(sent).toEqual([])
    hide()
    hide()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/)
  })

  it('two tabs of one signed-in user tick the same task and claim it one name after the other (the device\'s person, then the user), so a lock manager answering them out of order still leaves it to one tab: the collector hears of it once', async () => {
    const locks = lateLocks()
    const shared = new Map<string, string>()
    const tab = () => ({ platform: locks.tab(createFakePlatform({ shared })), user: atom({ userKey: 'u:ada', anonymousId: 'anon-1', userId: 'ada' }), options: { key: 'pk' } }) as unknown as ExperienceHost
    const [a, b] = [tab(), tab()]
    const sent: string[] = []
    granted(a, 'checklist:getting-started:invite', () => sent.push('a'))
    granted(b, 'checklist:getting-started:invite', () => sent.push('b'))
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve()
    }
    // Under load, the manager answers tab a's claim as the device's person, then tab b's as the user.
    locks.answer((c) => c.tab === a.platform && c.name === 'linger:granted:anon-1:checklist:getting-started:invite')
    await settle()
    locks.answer((c) => c.tab === b.platform && c.name === 'linger:granted:u:ada:checklist:getting-started:invite')
    await settle()
    while (locks.answer()) await settle()
    expect(sent).toHaveLength(1)
  })
})

describe('a survey shown once across tabs', () => {
  // Two tabs of one person whose turns do not wait for each other: one still the visitor, the
  // other already the user they signed up as. Each asks the lock manager for its claims.
  function twoTabsOfOnePerson() {
    const locks = lateLocks()
    const shared = new Map<string, string>()
    // One browser's turns: whoever asks a name held waits for it.
    const turns = new Map<string, Promise<unknown>>()
    const exclusive = (name: string, fn: () => void | Promise<void>) => {
      const turn = (turns.get(name) ?? Promise.resolve()).then(fn)
      turns.set(name, turn.catch(() => {}))
    }
    const tab = (user: object) =>
      ({
        platform: locks.tab(createFakePlatform({ shared })),
        exclusive,
        user: atom(user),
        flows: atom({ settings: { cooldownDays: 14 } }),
        state: { fresh() {} },
        options: { key: 'pk' },
      }) as unknown as ExperienceHost
    const visitor = tab({ userKey: 'a:anon-1', anonymousId: 'anon-1' })
    const user = tab({ userKey: 'u:ada', anonymousId: 'anon-1', userId: 'ada' })
    const shown: string[] = []
    const refusals: string[] = []
    const ask = (host: ExperienceHost, who: string) =>
      inTurn(host, (look) => !!look || (shown.push(who), true), () => true, 'nps', (why) => refusals.push(`${who}: ${why}`), true)
    const settle = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve()
    }
    return { locks, visitor, user, shown, refusals, ask, settle }
  }

  it('the visitor in one tab and the user they signed up as in another trigger the same survey at once: under load, whatever order the lock manager answers in, the survey is asked in exactly one of them', async () => {
    const { locks, visitor, user, shown, refusals, ask, settle } = twoTabsOfOnePerson()
    ask(visitor, 'visitor tab')
    ask(user, 'user tab')
    await settle()
    // The visitor tab wins the survey's own claim first; the user tab's claim of the person's one
    // showing (the cooldown) is answered next, if it was asked by then. Were a tab's claims all
    // asked at once (one round trip instead of four), each tab held one of the two, both
    // refused, and the survey was asked in neither.
    locks.answer((c) => c.tab === visitor.platform && c.name === 'linger:shown:anon-1:nps')
    await settle()
    locks.answer((c) => c.tab === user.platform && c.name === 'linger:shown:anon-1')
    await settle()
    // The rest answered together, as a lock manager catching up does.
    for (let more = true; more; await settle()) for (more = false; locks.answer(); ) more = true
    expect(shown).toEqual(['visitor tab'])
    expect(refusals).toEqual(['user tab: shown-in-another-tab'])
  })
})
