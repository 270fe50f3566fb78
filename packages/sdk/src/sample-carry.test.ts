import { describe, expect, it } from 'vitest'
import { createLinger, type Linger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import { drawOf, inSample, sampleBucket } from './sample'
import { kept, type Synced } from './sync/merge'
import { createEvaluator } from './evaluator'
import { createExperienceState } from './experience-state'
import { emptyProfile } from './usage'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import './sync/state-sync'
import './config/boot'
import './transport/adopt'

const nps = { id: 'nps', kind: 'nps', question: 'Recommend us?', trigger: { event: 'Dashboard Viewed' }, delayMs: 0, repeat: 'always' }
const flowsWith = (survey: object) => ({ version: 1, settings: { cooldownDays: 0 }, surveys: [{ ...nps, ...survey }] })
const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length

/**
 * `n` visitors, one after another in this browser (reset: someone new), each of whom opens the
 * dashboard, signs up, and opens it again: whether each was asked before and after.
 */
async function visitorsWhoSignUp(n: number, flows: object, signIn: (i: number) => string = (i) => `user_${i}`) {
  const platform = createFakePlatform()
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
  await linger.ready
  const surveys = linger.experiences.surveys!
  const before: boolean[] = []
  const after: boolean[] = []
  for (let i = 0; i < n; i++) {
    linger.reset()
    linger.track('Dashboard Viewed')
    before.push(!!surveys.$session.get())
    surveys.close()
    linger.identify(signIn(i))
    linger.track('Dashboard Viewed')
    after.push(!!surveys.$session.get())
    surveys.close()
    // Keeps the fake outbox short, so the test stays fast.
    if (i % 25 === 0) await linger.flush()
  }
  linger.destroy()
  return { before, after, platform }
}

describe('a sampled survey, once a visitor signs up', () => {
  it('of 400 visitors under a 50% survey sample, about half are asked, and each one signing up is asked after exactly when they were asked before (not ~70%)', { timeout: 60_000 }, async () => {
    const { before, after } = await visitorsWhoSignUp(400, flowsWith({ sample: 0.5 }))
    expect(Math.abs(share(before) - 0.5)).toBeLessThanOrEqual(0.07)
    // Asked at least once, before or after signing up: the share a vendor's response rate reads.
    expect(Math.abs(share(before.map((b, i) => b || after[i])) - 0.5)).toBeLessThanOrEqual(0.07)
    expect(after).toEqual(before)
  })

  it('of 400 visitors under a 50% audience `{ sample }`, each one signing up is in or out of it as they were before', { timeout: 60_000 }, async () => {
    const { before, after } = await visitorsWhoSignUp(400, flowsWith({ audience: { sample: 0.5 } }))
    expect(Math.abs(share(before) - 0.5)).toBeLessThanOrEqual(0.07)
    expect(after).toEqual(before)
  })

  it('a visitor who signs up on the page the login loads (identify as the page starts) keeps their draw too', { timeout: 60_000 }, async () => {
    const flows = flowsWith({ sample: 0.5 })
    const before: boolean[] = []
    const after: boolean[] = []
    for (let i = 0; i < 150; i++) {
      const shared = new Map<string, string>()
      const visit = createFakePlatform({ shared })
      const visitor = createLinger({ key: 'pk_test', flows }, { platform: visit })
      await visitor.ready
      visitor.track('Dashboard Viewed')
      before.push(!!visitor.experiences.surveys!.$session.get())
      visitor.experiences.surveys!.close()
      visit.pageHide()
      visitor.destroy()
      // The login redirects: the next page identifies before the runtime starts.
      const next = createFakePlatform({ shared })
      const user = createLinger({ key: 'pk_test', flows }, { platform: next })
      user.identify(`user_${i}`)
      await user.ready
      user.track('Dashboard Viewed')
      after.push(!!user.experiences.surveys!.$session.get())
      user.destroy()
    }
    expect(after).toEqual(before)
  })

  it("on a shared laptop, someone else who signs in after a visitor was drawn gets their own draw, not the visitor's", { timeout: 60_000 }, async () => {
    const flows = flowsWith({ sample: 0.5 })
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', flows }, { platform })
    await linger.ready
    const surveys = linger.experiences.surveys!
    const asked: boolean[] = []
    for (let i = 0; i < 200; i++) {
      // Bob is signed in; he signs out, a visitor is drawn, and then Carol signs in.
      linger.identify(`bob_${i}`)
      linger.reset()
      linger.track('Dashboard Viewed')
      surveys.close()
      linger.identify(`bob_${i}`)
      linger.identify(`carol_${i}`)
      linger.track('Dashboard Viewed')
      asked.push(!!surveys.$session.get())
      surveys.close()
      if (i % 25 === 0) await linger.flush()
    }
    expect(asked).toEqual(asked.map((_, i) => inSample(`u:carol_${i}`, drawOf('nps', 'sample'), 0.5)))
  })
})

describe("a cancel flow's holdout, once a visitor signs up", () => {
  it('of 400 visitors who open the cancel flow before and after signing up, a 20% holdout holds back about a fifth, each in the same arm both times', { timeout: 60_000 }, async () => {
    const flows = {
      version: 1,
      cancelFlow: { id: 'save-offer', reasons: [{ id: 'other', label: 'Something else' }], offers: [], holdout: 0.2 },
    }
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    // Landed: each reset() below is a visitor leaving (someone new), not the page's session check.
    await platform.advance(0)
    const cancel = linger.experiences.cancel!
    const arm = () => {
      expect(cancel.start()).toBe(true)
      const variant = cancel.$state.get().variant
      cancel.dispatch({ type: 'close' })
      return variant === 'holdout'
    }
    const before: boolean[] = []
    const after: boolean[] = []
    for (let i = 0; i < 400; i++) {
      linger.reset()
      before.push(arm())
      linger.identify(`user_${i}`)
      after.push(arm())
      if (i % 25 === 0) await linger.flush()
    }
    expect(Math.abs(share(before) - 0.2)).toBeLessThanOrEqual(0.05)
    // Held out at least once: users who saw both arms would count on both sides of the save rate.
    expect(Math.abs(share(before.map((b, i) => b || after[i])) - 0.2)).toBeLessThanOrEqual(0.05)
    expect(after).toEqual(before)
  })
})

/**
 * `n` visitors, each drawn on the phone, who sign up verified there (their progress syncs); then
 * each one's laptop, signed in from the start: whether `seen` held on each.
 */
async function phoneThenLaptop(n: number, flows: object, seen: (linger: Linger) => boolean) {
  // The collector's /v1/state in memory, with its rule (its state-merge.ts is the SDK's `kept`).
  const stored: Record<string, Synced> = {}
  const open = async (at: number, signIn?: string) => {
    const platform = createFakePlatform({ now: at })
    platform.respond = (req) => {
      if (!req.url.includes('/v1/state')) return { status: 200 }
      if (req.init.method === 'PUT')
        for (const [name, f] of Object.entries(req.body.fields as Record<string, Synced>)) {
          const keep = kept(name, f, stored[name], platform.now())
          if (keep) stored[name] = keep
        }
      return { status: 200, body: JSON.stringify({ ok: true, fields: stored }) }
    }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    if (signIn) linger.identify(signIn, {}, { userHash: `h_${signIn}` })
    await linger.ready
    await platform.advance(2000)
    linger.track('Dashboard Viewed')
    return { platform, linger }
  }
  const phone: boolean[] = []
  const laptop: boolean[] = []
  for (let i = 0; i < n; i++) {
    for (const key of Object.keys(stored)) delete stored[key]
    const p = await open(1_000_000)
    phone.push(seen(p.linger))
    p.linger.experiences.surveys?.close()
    p.linger.identify(`user_${i}`, {}, { userHash: `h_user_${i}` })
    await p.platform.advance(5000)
    p.linger.destroy()
    const l = await open(2_000_000, `user_${i}`)
    laptop.push(seen(l.linger))
    l.linger.destroy()
  }
  return { phone, laptop }
}

describe("a verified user's draw on their other devices", () => {
  it('of 100 visitors who sign up verified on the phone, each is asked on the laptop (after its sync) exactly when they were asked on the phone', { timeout: 60_000 }, async () => {
    const { phone, laptop } = await phoneThenLaptop(100, flowsWith({ sample: 0.5 }), (l) => !!l.experiences.surveys!.$session.get())
    expect(laptop).toEqual(phone)
  })

  it('an announcement for a 50% sample, seen on the phone before signing up, is seen on the laptop by the same users (its verdict, made before the sync, is made again)', { timeout: 60_000 }, async () => {
    const flows = { version: 1, announcements: [{ id: 'dark-mode', format: 'banner', title: 'Dark mode is here', sample: 0.5 }] }
    const { phone, laptop } = await phoneThenLaptop(100, flows, (l) => !!l.experiences.announcements!.$banner.get())
    expect(laptop).toEqual(phone)
  })
})

describe("a sampled announcement, once a visitor signs up", () => {
  it('of 300 visitors under a 50% announcement sample, each one signing up sees the banner after exactly when they saw it before', { timeout: 60_000 }, async () => {
    const flows = { version: 1, announcements: [{ id: 'dark-mode', format: 'banner', title: 'Dark mode is here', sample: 0.5 }] }
    const platform = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows }, { platform })
    await linger.ready
    const banner = () => !!linger.experiences.announcements!.$banner.get()
    const before: boolean[] = []
    const after: boolean[] = []
    const drawn: boolean[] = []
    for (let i = 0; i < 300; i++) {
      linger.reset()
      linger.track('Dashboard Viewed')
      before.push(banner())
      drawn.push(inSample(linger.host.user.get().userKey, drawOf('dark-mode', 'sample'), 0.5))
      linger.identify(`user_${i}`)
      linger.track('Dashboard Viewed')
      after.push(banner())
      if (i % 25 === 0) await linger.flush()
    }
    // Shown to a visitor as drawn under their key, about half of them.
    expect(before).toEqual(drawn)
    expect(Math.abs(share(before) - 0.5)).toBeLessThanOrEqual(0.1)
    expect(after).toEqual(before)
  })
})

describe('a cached audience verdict and a draw the sync brings', () => {
  it("a signed-in user's `{ sample }` audience, judged on their own hash, is judged again on the draw their phone's sign-in brought (same user, same page)", () => {
    const platform = createFakePlatform()
    const state = createExperienceState(platform, 'u:ann')
    const evaluate = createEvaluator({
      now: platform.now,
      profile: () => emptyProfile(),
      who: () => ({ userKey: 'u:ann', traits: {} }),
      dayKey: () => '2026-12-05',
      url: () => 'https://app.test/',
      stateVersion: state.version,
      facts: { draw: (k, n) => state.draw(k, n, sampleBucket(k, n)), checklistStatus: () => 'not-started', hasBadge: () => false, surveyAnswered: () => false, points: () => 0 },
    })
    // Twenty announcements, each judged once on Ann's hash.
    const ids = Array.from({ length: 20 }, (_, i) => `news-${i}`)
    const rules = ids.map(() => ({ sample: 0.5 }))
    const judged = () => ids.map((id, i) => evaluate(rules[i], id).ok)
    expect(judged()).toEqual(ids.map((id) => inSample('u:ann', id, 0.5)))
    // The sync takes in the draws her phone's visitor brought as she signed in there: each the
    // other side of her own.
    state.takeIn({ draws: Object.fromEntries(ids.map((id) => [id, inSample('u:ann', id, 0.5) ? 0.9 : 0.1])) })
    expect(judged()).toEqual(ids.map((id) => !inSample('u:ann', id, 0.5)))
  })
})

describe("a visitor's draw, as it is recorded", () => {
  it('is written to storage once, however often it is read, and sets off no subscriber (a check that draws inside one starts no other check)', () => {
    const platform = createFakePlatform()
    const state = createExperienceState(platform, 'a:visitor-1')
    let writes = 0
    const set = platform.storage.set.bind(platform.storage)
    platform.storage.set = (key, value) => (key === 'linger:state:a:visitor-1' && writes++, set(key, value))
    let heard = 0
    state.subscribe(() => heard++)
    const first = state.draw('a:visitor-1', 'nps:sample', sampleBucket('a:visitor-1', 'nps:sample'))
    for (let i = 0; i < 5; i++) expect(state.draw('a:visitor-1', 'nps:sample', sampleBucket('a:visitor-1', 'nps:sample'))).toBe(first)
    expect([writes, heard]).toEqual([1, 0])
    // A signed-in user's draws are the hash of their id everywhere: nothing is written for them.
    state.switchUser('u:ann', true)
    state.draw('u:ann', 'csat:sample', 0.3)
    expect(platform.storage.get('linger:state:u:ann')).not.toContain('csat:sample')
    expect(JSON.parse(platform.storage.get('linger:state:u:ann')!).draws).toEqual({ 'nps:sample': first })
  })
})
