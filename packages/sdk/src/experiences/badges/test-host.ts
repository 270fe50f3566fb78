import { atom } from 'nanostores'
import type { Flows } from '../../config/flows-schema'
import { explainRule } from '../../audience'
import { createExperienceState } from '../../experience-state'
import { createFakePlatform, type FakePlatform } from '../../fake-platform'
import type { Properties } from '../../events'
import { createUsageStore } from '../../usage'
import type { ExperienceHost, UserView } from '../host'

/**
 * A real-enough ExperienceHost for controller tests: the real usage store, experience state and
 * audience evaluator on a fake platform, with track() feeding onTrack like client.ts does.
 * Two hosts given the same `shared` map behave as two tabs of one user; given the same
 * `exclusive` (see webLocks()), they take turns for the grant lock as under Web Locks.
 */
export function createTestHost(flows: Partial<Flows>, opts: { shared?: Map<string, string>; platform?: FakePlatform; exclusive?: ExperienceHost['exclusive'] } = {}) {
  const platform = opts.platform ?? createFakePlatform({ shared: opts.shared })
  const user: UserView = { userKey: 'u:ada', anonymousId: 'a1', userId: 'ada', traits: {} }
  const usage = createUsageStore({ platform, key: user.userKey })
  const state = createExperienceState(platform, user.userKey)
  const emitted: Array<{ event: string; properties: Properties }> = []
  const trackFns = new Set<(name: string, p: Properties, t: number) => void>()
  const full = { version: 1, settings: { cooldownDays: 2, locale: 'auto' }, checklists: [], tours: [], badges: [], levels: [], surveys: [], ...flows } as Flows
  const track = (name: string, properties: Properties = {}) => {
    const time = platform.now()
    usage.record({ name, time, feature: name === 'Feature Used' ? String(properties.feature) : undefined })
    trackFns.forEach((fn) => fn(name, properties, time))
  }
  // Writable, so a test can sign another user in.
  const $user = atom(user)
  const host: ExperienceHost = {
    platform,
    flows: atom(full),
    usage: usage.$profile,
    user: $user,
    state,
    options: {},
    emit(event, properties) {
      emitted.push({ event, properties })
      track(event, properties)
    },
    onTrack: (fn) => (trackFns.add(fn), () => trackFns.delete(fn)),
    onPage: () => () => {},
    evaluate: (rule, experienceId) =>
      rule
        ? explainRule(rule, {
            profile: usage.$profile.get(),
            traits: $user.get().traits,
            now: platform.now(),
            today: usage.dayKey(platform.now()),
            dayKey: usage.dayKey,
            url: platform.page().url,
            userKey: $user.get().userKey,
            experienceId,
            facts: {
              checklistStatus: (id) => state.get<{ status: 'completed' | 'dismissed' | 'started' }>(`checklist:${id}`)?.status ?? 'not-started',
              hasBadge: (id) => !!state.get<{ earned?: Record<string, number> }>('badges')?.earned?.[id],
              surveyAnswered: () => false,
              points: () => state.get<{ points?: number }>('badges')?.points ?? 0,
            },
          })
        : { ok: true, failed: [] },
    still: () => () => true,
    request: () => ({ show: true, reasons: ['eligible'] }),
    release: () => {},
    reportError: () => {},
    handlers: {},
    ...(opts.exclusive ? { exclusive: opts.exclusive } : {}),
  }
  return { host, $user, platform, track, emitted, events: (name: string) => emitted.filter((e) => e.event === name) }
}

/**
 * Web Locks as the tabs of one browser share them: each request is granted later, in a task of
 * its own, one holder at a time. `requests` lists every lock asked for.
 */
export function webLocks() {
  const requests: string[] = []
  let queue = Promise.resolve()
  return {
    requests,
    exclusive(name: string, fn: () => void) {
      requests.push(name)
      queue = queue.then(() => new Promise<void>((r) => setTimeout(() => (fn(), r()), 0)))
    },
    /** Resolves once every lock asked for, including those asked for meanwhile, has run. */
    async settled() {
      for (let seen = -1; seen !== requests.length; ) {
        seen = requests.length
        await queue
      }
    },
  }
}
