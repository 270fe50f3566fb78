import { describe, expect, it } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { laggingStorage } from './lagging-storage'
import { safeStorage } from './platform-browser'
import {
  createUsageStore,
  DAY_WINDOW,
  dayKeyIn,
  emptyProfile,
  MAX_NAMES,
  mergeProfiles,
  recordEvent,
  USAGE_WRITE_DELAY_MS,
  usageStorageKey,
  type UsageEvent,
  type UsageProfile,
} from './usage'
import { explainRule, type AudienceFacts } from './audience'
import { activeDaysWithin, countOf, countWithin, currentStreak, distinctFeatures } from './usage-reads'

// Every test lives in Tokyo (UTC+9, no daylight saving) so no result depends on the machine's zone.
const dayKey = dayKeyIn('Asia/Tokyo')
const tokyo = (local: string) => Date.parse(`${local}+09:00`)
const play = (events: Array<[name: string, local: string, feature?: string]>, from = emptyProfile()): UsageProfile =>
  events.reduce((p, [name, local, feature]) => recordEvent(p, { name, time: tokyo(local), feature }, dayKey), from)
const daily = (name: string, days: string[]) => play(days.map((d) => [name, `${d}T09:00:00`] as [string, string]))

describe('the usage profile', () => {
  it('counts each event with when it first and last happened', () => {
    const p = play([
      ['Project Created', '2026-03-02T09:00:00'],
      ['Project Created', '2026-03-04T15:30:00'],
      ['Task Created', '2026-03-03T11:00:00'],
    ])
    expect(p.events['Project Created']).toMatchObject({ count: 2, first: tokyo('2026-03-02T09:00:00'), last: tokyo('2026-03-04T15:30:00') })
    expect(countOf(p, 'Task Created')).toBe(1)
    expect(countOf(p, 'Report Exported')).toBe(0)
    expect(p.firstSeen).toBe(tokyo('2026-03-02T09:00:00'))
    expect(p.lastSeen).toBe(tokyo('2026-03-04T15:30:00'))
  })

  it('never changes the profile it was given', () => {
    const before = play([['Project Created', '2026-03-02T09:00:00']])
    const copy = JSON.parse(JSON.stringify(before))
    play([['Project Created', '2026-03-03T09:00:00', 'kanban']], before)
    expect(before).toEqual(copy)
  })

  it('a busy day is still one active day', () => {
    const p = play([
      ['Dashboard Viewed', '2026-03-02T08:00:00'],
      ['Task Created', '2026-03-02T12:00:00'],
      ['Task Created', '2026-03-02T23:59:00'],
    ])
    expect(p.activeDays).toEqual(['2026-03-02'])
    expect(p.streak.current).toBe(1)
  })

  it("a Tokyo user's 1 a.m. work counts for their own day, not UTC's", () => {
    // 16:30 UTC on 2 March is 01:30 on 3 March in Tokyo.
    const p = recordEvent(emptyProfile(), { name: 'Task Created', time: Date.parse('2026-03-02T16:30:00Z') }, dayKey)
    expect(p.activeDays).toEqual(['2026-03-03'])
    expect(p.events['Task Created'].days).toEqual({ '2026-03-03': 1 })
  })

  it('local days follow daylight saving (New York) and an unknown zone falls back to UTC', () => {
    // 03:30 UTC on 9 March 2026 is 23:30 on 8 March in New York (EDT began that morning).
    expect(dayKeyIn('America/New_York')(Date.parse('2026-03-09T03:30:00Z'))).toBe('2026-03-08')
    expect(dayKeyIn('America/New_York')(Date.parse('2026-03-08T04:30:00Z'))).toBe('2026-03-07')
    expect(dayKeyIn('Not/AZone')(Date.parse('2026-03-09T03:30:00Z'))).toBe('2026-03-09')
  })

  it('checking the day again and again never carries a day over midnight', () => {
    // One dayKey asked many times, as rules do per event: the last millisecond of 9 March in
    // Tokyo, then the first of the 10th, then back (a late event).
    const day = dayKeyIn('Asia/Tokyo')
    const midnight = tokyo('2026-03-10T00:00:00')
    expect(day(midnight - 1)).toBe('2026-03-09')
    expect(day(midnight - 1)).toBe('2026-03-09')
    expect(day(midnight)).toBe('2026-03-10')
    expect(day(midnight + 999)).toBe('2026-03-10')
    expect(day(midnight - 1)).toBe('2026-03-09')
    // New York's midnight on the day clocks go forward (EDT starts at 2 a.m. that night).
    const ny = dayKeyIn('America/New_York')
    const nyMidnight = Date.parse('2026-03-09T04:00:00Z')
    expect([ny(nyMidnight - 1), ny(nyMidnight), ny(nyMidnight - 1)]).toEqual(['2026-03-08', '2026-03-09', '2026-03-08'])
  })

  it("the machine's own zone gives the same days without Intl, across a daylight-saving change", () => {
    const own = dayKeyIn()
    const viaIntl = dayKeyIn(Intl.DateTimeFormat().resolvedOptions().timeZone)
    // Every half hour across two DST weekends (Europe and the US) and a year end, in whatever zone this runs.
    for (const from of ['2026-03-07T00:00:00Z', '2026-03-28T00:00:00Z', '2026-12-30T00:00:00Z'])
      for (let ms = Date.parse(from); ms < Date.parse(from) + 4 * 86_400_000; ms += 1_800_000) expect(own(ms)).toBe(viaIntl(ms))
  })

  it('five days in a row is a five-day streak; a missed day starts again at one', () => {
    const p = daily('Dashboard Viewed', ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'])
    expect(p.streak).toEqual({ current: 5, longest: 5, lastDay: '2026-03-06' })
    const after = play([['Dashboard Viewed', '2026-03-08T09:00:00']], p)
    expect(after.streak).toEqual({ current: 1, longest: 5, lastDay: '2026-03-08' })
  })

  it('a streak is current only while the last active day is today or yesterday', () => {
    const p = daily('Dashboard Viewed', ['2026-03-02', '2026-03-03', '2026-03-04'])
    expect(currentStreak(p, '2026-03-04')).toBe(3)
    expect(currentStreak(p, '2026-03-05')).toBe(3)
    expect(currentStreak(p, '2026-03-06')).toBe(0)
  })

  it('an event from a clock that jumped back still counts, without rewinding lastSeen or the streak', () => {
    const p = daily('Dashboard Viewed', ['2026-03-03', '2026-03-04', '2026-03-05'])
    const late = play([['Task Created', '2026-02-20T09:00:00']], p)
    expect(countOf(late, 'Task Created')).toBe(1)
    expect(late.lastSeen).toBe(p.lastSeen)
    expect(late.firstSeen).toBe(tokyo('2026-02-20T09:00:00'))
    expect(late.streak).toEqual({ current: 3, longest: 3, lastDay: '2026-03-05' })
  })

  it('a late event that fills yesterday-but-one joins the two runs into one streak', () => {
    const p = daily('Dashboard Viewed', ['2026-03-02', '2026-03-04', '2026-03-05'])
    expect(p.streak.current).toBe(2)
    const filled = play([['Task Created', '2026-03-03T09:00:00']], p)
    expect(filled.streak).toEqual({ current: 4, longest: 4, lastDay: '2026-03-05' })
  })

  it('counts within a window of local days, today included', () => {
    const p = daily('Report Exported', ['2026-02-01', '2026-02-25', '2026-03-01', '2026-03-02', '2026-03-02'])
    expect(countWithin(p, 'Report Exported', 1, '2026-03-02')).toBe(2)
    expect(countWithin(p, 'Report Exported', 7, '2026-03-02')).toBe(4)
    expect(countWithin(p, 'Report Exported', 30, '2026-03-02')).toBe(5)
    expect(countWithin(p, 'Report Exported', 7, '2026-03-20')).toBe(0)
    expect(activeDaysWithin(p, 7, '2026-03-02')).toBe(3)
    expect(activeDaysWithin(p, 30, '2026-03-02')).toBe(4)
  })

  // Rules look back DAY_WINDOW days; two more days hold a value review's month before last (below).
  it(`keeps per-day detail for ${DAY_WINDOW + 2} days, but totals forever`, () => {
    const days = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10))
    const p = daily('Dashboard Viewed', days)
    expect(p.activeDays).toHaveLength(DAY_WINDOW + 2)
    expect(p.activeDays[0]).toBe(days[120 - DAY_WINDOW - 2])
    expect(Object.keys(p.events['Dashboard Viewed'].days)).toHaveLength(DAY_WINDOW + 2)
    expect(countOf(p, 'Dashboard Viewed')).toBe(120)
    // The streak outlives the window it can see.
    expect(p.streak.current).toBe(120)
  })

  it('a user whose first December visit is on the 31st still has every day of October for the review comparing November with it', () => {
    // 3 invoices on 3 October days, 1 in November; back on 31 December.
    const p = daily('Invoice Sent', ['2026-10-01', '2026-10-02', '2026-10-15', '2026-11-10', '2026-12-31'])
    expect(p.activeDays.slice(0, 2)).toEqual(['2026-10-01', '2026-10-02'])
    expect(countWithin(p, 'Invoice Sent', 31, '2026-10-31')).toBe(3)
    // Merging a visitor (identify) keeps them too.
    const merged = mergeProfiles(daily('Page Opened', ['2026-12-31']), p)
    expect(countWithin(merged, 'Invoice Sent', 31, '2026-10-31')).toBe(3)
    expect(merged.activeDays[0]).toBe('2026-10-01')
  })

  it(`remembers at most ${MAX_NAMES} event names, forgetting the least recently seen`, () => {
    let p = emptyProfile()
    for (let i = 0; i <= MAX_NAMES; i++) p = recordEvent(p, { name: `Viewed Project ${i}`, time: tokyo('2026-03-02T09:00:00') + i * 1000 }, dayKey)
    expect(Object.keys(p.events)).toHaveLength(MAX_NAMES)
    expect(countOf(p, 'Viewed Project 0')).toBe(0)
    expect(countOf(p, `Viewed Project ${MAX_NAMES}`)).toBe(1)
  })

  it('counts distinct features used', () => {
    const p = play([
      ['Feature Used', '2026-03-02T09:00:00', 'kanban'],
      ['Feature Used', '2026-03-02T09:01:00', 'kanban'],
      ['Feature Used', '2026-03-02T09:02:00', 'gantt'],
      ['Project Created', '2026-03-02T09:03:00'],
    ])
    expect(distinctFeatures(p)).toBe(2)
    expect(p.features.kanban.count).toBe(2)
  })

  it('event names that look like object internals are just names', () => {
    const p = play([
      ['constructor', '2026-03-02T09:00:00'],
      ['__proto__', '2026-03-02T09:00:00'],
    ])
    expect(countOf(p, 'constructor')).toBe(1)
    expect(countOf(p, '__proto__')).toBe(1)
    expect(countOf(p, 'toString')).toBe(0)
    expect(JSON.parse(JSON.stringify(p)).events.__proto__.count).toBe(1)
  })

  it('ignores an event without a name or with an impossible time', () => {
    const p = emptyProfile()
    expect(recordEvent(p, { name: '', time: 1 }, dayKey)).toBe(p)
    expect(recordEvent(p, { name: 'X', time: Number.NaN } as UsageEvent, dayKey)).toBe(p)
  })
})

describe('identify merges the anonymous visit into the user', () => {
  it('a streak longer than the kept days that the visitor’s day continues goes on (101 days, not the window’s 90)', () => {
    const utc = dayKeyIn('UTC')
    const today = Date.parse('2026-06-10T09:00:00Z')
    let user = emptyProfile()
    for (let d = 100; d >= 1; d--) user = recordEvent(user, { name: 'Task Created', time: today - d * 86_400_000 }, utc)
    expect(user.streak.current).toBe(100)
    // Signed out last night; this morning's visit clicks something before signing in again.
    const visitor = recordEvent(emptyProfile(), { name: 'Feature Used', time: today }, utc)
    const direct = recordEvent(user, { name: 'Feature Used', time: today }, utc)
    expect(mergeProfiles(visitor, user).streak).toEqual(direct.streak)
    expect(direct.streak).toEqual({ current: 101, longest: 101, lastDay: '2026-06-10' })
    // A day missed in between ends it, as it would have without the sign-out.
    const later = recordEvent(emptyProfile(), { name: 'Feature Used', time: today + 86_400_000 }, utc)
    expect(mergeProfiles(later, user).streak.current).toBe(1)
  })

  it('adds counts, keeps the earliest first and latest last, unites the days and rebuilds the streak', () => {
    const anon = play([
      ['Project Created', '2026-03-03T09:00:00', 'kanban'],
      ['Task Created', '2026-03-04T09:00:00', 'gantt'],
    ])
    const user = play([
      ['Project Created', '2026-03-02T09:00:00', 'kanban'],
      ['Project Created', '2026-03-05T09:00:00'],
    ])
    const merged = mergeProfiles(anon, user)
    expect(merged.events['Project Created']).toEqual({
      count: 3,
      first: tokyo('2026-03-02T09:00:00'),
      last: tokyo('2026-03-05T09:00:00'),
      days: { '2026-03-02': 1, '2026-03-03': 1, '2026-03-05': 1 },
    })
    expect(countOf(merged, 'Task Created')).toBe(1)
    expect(merged.activeDays).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'])
    expect(merged.streak).toEqual({ current: 4, longest: 4, lastDay: '2026-03-05' })
    expect(merged.features.kanban.count).toBe(2)
    expect(distinctFeatures(merged)).toBe(2)
    expect(merged.firstSeen).toBe(tokyo('2026-03-02T09:00:00'))
    expect(merged.lastSeen).toBe(tokyo('2026-03-05T09:00:00'))
  })

  it('a user back after 10 days, who looked around as a visitor before signing in, was last seen 10 days before this visit', () => {
    const user = play([['Report Exported', '2026-03-02T09:00:00']])
    const visitor = play([['Pricing Viewed', '2026-03-12T09:00:00']])
    expect(mergeProfiles(visitor, user).prevSeen).toBe(tokyo('2026-03-02T09:00:00'))
    // Their visit the day before, as a visitor too, is the later one.
    const twice = play([['Pricing Viewed', '2026-03-11T09:00:00'], ['Pricing Viewed', '2026-03-12T09:00:00']])
    expect(mergeProfiles(twice, user).prevSeen).toBe(tokyo('2026-03-11T09:00:00'))
    // Signed in a few minutes into the visit they made on the laptop: this visit, not a past one.
    const same = play([['Pricing Viewed', '2026-03-12T08:50:00']])
    expect(mergeProfiles(visitor, same).prevSeen).toBeUndefined()
  })

  it('merging into a brand-new user keeps everything the visitor did', () => {
    const anon = daily('Dashboard Viewed', ['2026-03-02', '2026-03-03'])
    expect(mergeProfiles(anon, emptyProfile())).toEqual(anon)
  })
})

describe('the persisted usage store', () => {
  const start = Date.parse('2026-03-02T10:00:00Z')

  it('survives a reload under a per-user storage key', async () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    store.record({ name: 'Project Created' })
    store.record({ name: 'Project Created', time: start - 60_000 })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(platform.storageMap.has(usageStorageKey('anon-1'))).toBe(true)
    const reloaded = createUsageStore({ platform, key: 'anon-1', dayKey })
    expect(countOf(reloaded.$profile.get(), 'Project Created')).toBe(2)
    expect(reloaded.$profile.get().firstSeen).toBe(start - 60_000)
  })

  it('uses the platform time zone for local days unless told otherwise', () => {
    const platform = createFakePlatform({ now: Date.parse('2026-03-02T23:30:00Z') })
    platform.timezone = () => 'Asia/Tokyo'
    const store = createUsageStore({ platform, key: 'a' })
    store.record({ name: 'Task Created' })
    expect(store.$profile.get().activeDays).toEqual(['2026-03-03'])
    expect(store.dayKey(platform.now())).toBe('2026-03-03')
  })

  it('the events of a second share one write; hiding the page writes at once', async () => {
    const platform = createFakePlatform({ now: start })
    const writes: string[] = []
    const set = platform.storage.set
    platform.storage.set = (k, v) => (writes.push(k), set(k, v))
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    for (let i = 0; i < 5; i++) {
      store.record({ name: 'Task Created' })
      await platform.advance(100)
    }
    expect(writes).toEqual([])
    await platform.advance(USAGE_WRITE_DELAY_MS - 500)
    expect(writes).toEqual([usageStorageKey('anon-1')])
    expect(countOf(JSON.parse(platform.storageMap.get(usageStorageKey('anon-1'))!), 'Task Created')).toBe(5)
    store.record({ name: 'Report Exported' })
    platform.hide()
    expect(writes).toHaveLength(2)
    expect(countOf(JSON.parse(platform.storageMap.get(usageStorageKey('anon-1'))!), 'Report Exported')).toBe(1)
    // Nothing new since: the timer left behind writes nothing.
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(writes).toHaveLength(2)
  })

  it('once the page is hidden, each event is written at the end of its task, until the page is shown again', async () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    const stored = () => countOf(JSON.parse(platform.storageMap.get(usageStorageKey('anon-1')) ?? 'null') ?? emptyProfile(), 'Clicked')
    store.record({ name: 'Clicked' })
    // The page unloads; the host tracks one more event in its own pagehide listener. No timer
    // runs after an unload (nor, for long, in a hidden tab), so it must not wait for one.
    platform.pageHide()
    store.record({ name: 'Clicked' })
    await Promise.resolve()
    expect(stored()).toBe(2)
    platform.show()
    store.record({ name: 'Clicked' })
    await Promise.resolve()
    expect(stored()).toBe(2)
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(stored()).toBe(3)
  })

  it('a profile written while the clock ran a month ahead counts the real days again once it is right', async () => {
    const ahead = Date.parse('2026-04-10T10:00:00Z')
    const platform = createFakePlatform({ now: ahead })
    const wrong = createUsageStore({ platform, key: 'u', dayKey })
    wrong.record({ name: 'Report Exported' })
    wrong.destroy()
    // The clock is put right: it is 2 March. The user comes back three days running.
    const right = createFakePlatform({ now: start, shared: platform.storageMap })
    const store = createUsageStore({ platform: right, key: 'u', dayKey })
    for (let day = 0; day < 3; day++) {
      store.record({ name: 'Report Exported' })
      await right.advance(24 * 3600_000)
    }
    const p = store.$profile.get()
    expect(p.activeDays).toEqual(['2026-03-02', '2026-03-03', '2026-03-04'])
    expect(p.streak).toEqual({ current: 3, longest: 3, lastDay: '2026-03-04' })
    expect(countOf(p, 'Report Exported')).toBe(4)
    expect(countWithin(p, 'Report Exported', 7, dayKey(right.now()))).toBe(3)
  })

  it('exports made while the clock ran ahead do not count again when their wrong date really comes', () => {
    const clock = { now: tokyo('2026-04-10T10:00:00') }
    const store = createUsageStore({ platform: createFakePlatform({ clock }), key: 'u', dayKey })
    // Five exports on 2 March, with the clock reading 10 April.
    for (let i = 0; i < 5; i++) store.record({ name: 'Report Exported' })
    // The clock is put right; the user comes back every day until 10 April really comes.
    clock.now = tokyo('2026-03-02T10:00:00')
    for (; clock.now < tokyo('2026-04-10T00:00:00'); clock.now += 86_400_000) store.record({ name: 'Page Opened' })
    clock.now = tokyo('2026-04-10T10:00:00')
    store.record({ name: 'Report Exported' })
    const p = store.$profile.get()
    // One export today, as the user did; all six in the total.
    expect(countWithin(p, 'Report Exported', 1, '2026-04-10')).toBe(1)
    expect(countOf(p, 'Report Exported')).toBe(6)
  })

  it('after a clock that ran ahead, a user who comes every day was last seen yesterday, not away since the clock jumped', () => {
    const clock = { now: tokyo('2026-03-01T10:00:00') }
    const store = createUsageStore({ platform: createFakePlatform({ clock }), key: 'u', dayKey })
    store.record({ name: 'Page Opened' })
    // One visit with the clock a month ahead, then right again: a visit every day, 2 to 12 March.
    clock.now = tokyo('2026-04-01T10:00:00')
    store.record({ name: 'Page Opened' })
    for (clock.now = tokyo('2026-03-02T10:00:00'); clock.now < tokyo('2026-03-13T00:00:00'); clock.now += 86_400_000) store.record({ name: 'Page Opened' })
    const p = store.$profile.get()
    expect(p.lastSeen).toBe(tokyo('2026-03-12T10:00:00'))
    expect(p.prevSeen).toBe(tokyo('2026-03-11T10:00:00'))
  })

  it('a stored event without its daily counts (an older release, a hand edit) does not stop the clock repair, nor lose the event that triggers it', async () => {
    const clock = { now: tokyo('2026-04-10T10:00:00') }
    const platform = createFakePlatform({ clock })
    const store = createUsageStore({ platform, key: 'u', dayKey })
    store.record({ name: 'Page Opened' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    const key = usageStorageKey('u')
    const stored = JSON.parse(platform.storage.get(key)!)
    delete stored.events['Page Opened'].days
    stored.events['Old Event'] = null
    platform.storage.set(key, JSON.stringify(stored))
    const again = createUsageStore({ platform, key: 'u', dayKey })
    clock.now = tokyo('2026-03-02T10:00:00')
    expect(() => again.record({ name: 'Report Exported' })).not.toThrow()
    expect(countOf(again.$profile.get(), 'Report Exported')).toBe(1)
  })

  it('a feature used while the clock ran a month ahead is not "used within 7 days" for five weeks once the clock is right', () => {
    const clock = { now: tokyo('2026-04-10T10:00:00') }
    const store = createUsageStore({ platform: createFakePlatform({ clock }), key: 'u', dayKey })
    store.record({ name: 'Feature Used', feature: 'export' })
    // The clock is put right on 2 March (the real day of that use): the user comes back.
    clock.now = tokyo('2026-03-02T10:00:00')
    store.record({ name: 'Page Opened' })
    const p = store.$profile.get()
    // Used at the latest now, not on 10 April: "within 7 days" ends on 9 March, as for any use today.
    const usedWithinAWeek = (now: number) => explainRule({ feature: 'export', withinDays: 7 }, { profile: p, traits: {}, now, url: '/', userKey: 'u', experienceId: 'x', facts: {} as AudienceFacts }).ok
    expect(usedWithinAWeek(tokyo('2026-03-08T10:00:00'))).toBe(true)
    expect(usedWithinAWeek(tokyo('2026-03-20T10:00:00'))).toBe(false)
    expect(p.features.export!.last).toBe(clock.now)
    expect(p.events['Feature Used']!.last).toBe(clock.now)
  })

  it('a user active today keeps today in their streak when a clock that ran ahead is put right, and tomorrow makes two', () => {
    const clock = { now: tokyo('2026-03-02T09:00:00') }
    const store = createUsageStore({ platform: createFakePlatform({ clock }), key: 'u', dayKey })
    store.record({ name: 'Page Opened' })
    // The clock jumps a month ahead for one event and is put right the same morning.
    clock.now = tokyo('2026-04-10T09:30:00')
    store.record({ name: 'Page Opened' })
    clock.now = tokyo('2026-03-02T10:00:00')
    store.record({ name: 'Page Opened' })
    expect(currentStreak(store.$profile.get(), '2026-03-02')).toBe(1)
    clock.now += 86_400_000
    store.record({ name: 'Page Opened' })
    expect(currentStreak(store.$profile.get(), '2026-03-03')).toBe(2)
  })

  it('a daily user whose clock is set back three days keeps the days they really came and their streak, which goes on once the clock is right', () => {
    const clock = { now: 0 }
    const store = createUsageStore({ platform: createFakePlatform({ clock }), key: 'u', dayKey })
    // Every day, 1 to 30 March.
    for (clock.now = tokyo('2026-03-01T09:00:00'); clock.now < tokyo('2026-03-31T00:00:00'); clock.now += 86_400_000) store.record({ name: 'Page Opened' })
    // On 30 March the computer's date is set back to 27 March for a while; then put right.
    clock.now = tokyo('2026-03-27T10:00:00')
    store.record({ name: 'Page Opened' })
    clock.now = tokyo('2026-03-31T09:00:00')
    store.record({ name: 'Page Opened' })
    const p = store.$profile.get()
    expect(activeDaysWithin(p, 31, '2026-03-31')).toBe(31)
    expect(countWithin(p, 'Page Opened', 3, '2026-03-30')).toBe(3)
    expect(currentStreak(p, '2026-03-31')).toBe(31)
  })

  /** Two tabs of user u_42: their platforms share one storage. */
  const twoTabs = () => {
    const shared = new Map<string, string>()
    const tabA = createFakePlatform({ now: start, shared })
    const tabB = createFakePlatform({ now: start, shared })
    return { shared, tabA, tabB, a: createUsageStore({ platform: tabA, key: 'u_42', dayKey }), b: createUsageStore({ platform: tabB, key: 'u_42', dayKey }) }
  }

  it('two tabs tracking side by side lose none of each other’s events, whoever writes first', async () => {
    const { shared, tabA, tabB, a, b } = twoTabs()
    a.record({ name: 'Task Created' })
    b.record({ name: 'Task Created' })
    a.record({ name: 'Task Created' })
    b.record({ name: 'Report Exported' })
    // A writes; B has not heard of it (no storage event yet) and writes its own events on top.
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    await tabB.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(b.$profile.get(), 'Task Created')).toBe(3)
    // Tab A hears about B's write through the storage event and shows it without tracking anything.
    tabA.fireStorage(usageStorageKey('u_42'))
    expect(countOf(a.$profile.get(), 'Report Exported')).toBe(1)
    expect(countOf(a.$profile.get(), 'Task Created')).toBe(3)
    const stored = JSON.parse(shared.get(usageStorageKey('u_42'))!)
    expect(countOf(stored, 'Task Created')).toBe(3)
    expect(countOf(stored, 'Report Exported')).toBe(1)
  })

  it('a tab that hears of another tab’s write keeps its own unsaved events on top of it', async () => {
    const { shared, tabA, tabB, a, b } = twoTabs()
    b.record({ name: 'Task Created' })
    a.record({ name: 'Task Created' })
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    tabB.fireStorage(usageStorageKey('u_42'))
    // B shows A's event and its own, and its write, when it comes, has both.
    expect(countOf(b.$profile.get(), 'Task Created')).toBe(2)
    await tabB.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(JSON.parse(shared.get(usageStorageKey('u_42'))!), 'Task Created')).toBe(2)
  })

  /** Tabs of one browser whose copies of storage lag (see lagging-storage.ts). */
  const laggingTabs = () => {
    const { storage, tab, deliver } = laggingStorage(start)
    const open = (key: string) => {
      const platform = tab()
      return { platform, store: createUsageStore({ platform, key, dayKey }) }
    }
    /** Tasks created, as storage holds them for `key`, and as a tab shows them. */
    const stored = (key: string) => countOf(JSON.parse(storage.get(usageStorageKey(key))!), 'Task Created')
    const shown = (t: ReturnType<typeof open>) => countOf(t.store.$profile.get(), 'Task Created')
    /** Two tabs of one visitor; tab A created three tasks, written and heard by B. */
    const visitorTabs = async () => {
      const tabs = { a: open('anon-1'), b: open('anon-1') }
      await created(tabs.a, 3)
      deliver()
      return tabs
    }
    return { storage, tab: open, deliver, stored, shown, visitorTabs }
  }
  /** `n` tasks created in a tab, then its usage write. */
  const created = async (t: ReturnType<ReturnType<typeof laggingTabs>['tab']>, n = 1) => {
    for (let i = 0; i < n; i++) t.store.record({ name: 'Task Created' })
    await t.platform.advance(USAGE_WRITE_DELAY_MS)
  }

  it('two tabs writing at once, each before the other’s write reached it, lose none of each other’s events', async () => {
    const { tab, deliver, stored, shown } = laggingTabs()
    const a = tab('anon-1')
    const b = tab('anon-1')
    for (let i = 0; i < 3; i++) a.store.record({ name: 'Task Created' })
    b.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    await b.platform.advance(USAGE_WRITE_DELAY_MS)
    // Storage keeps B's write, the later one, which lacks A's three events; A hears of it.
    deliver()
    deliver()
    expect(stored('anon-1')).toBe(4)
    expect(shown(a)).toBe(4)
    expect(shown(b)).toBe(4)
    // Each event counts once from here on: nobody writes them a third time.
    await created(a)
    deliver()
    expect(stored('anon-1')).toBe(5)
    expect(shown(b)).toBe(5)
  })

  it('three tabs whose writes cross count each event once, however their writes arrive', async () => {
    const { tab, deliver, stored, shown } = laggingTabs()
    const a = tab('anon-1')
    const b = tab('anon-1')
    const c = tab('anon-1')
    await created(a, 3)
    await created(b)
    // A's write reaches C (B, writing, takes no news); C writes on top of it.
    deliver(1)
    await created(c)
    // B's write, without A's events, then C's, with them, then whatever each tab writes again.
    deliver()
    for (const t of [a, b, c]) expect(shown(t)).toBe(5)
    expect(stored('anon-1')).toBe(5)
  })

  it('two tabs signing the visitor in at once count its history once', async () => {
    const { deliver, stored, shown, visitorTabs } = laggingTabs()
    const { a, b } = await visitorTabs()
    a.store.switchUser('u_42', { merge: true })
    b.store.switchUser('u_42', { merge: true })
    deliver()
    expect(stored('u_42')).toBe(3)
    expect(shown(a)).toBe(3)
  })

  it('a visitor tab whose write crossed another tab’s sign-in has its events counted in the user, once', async () => {
    const { storage, deliver, stored, shown, visitorTabs } = laggingTabs()
    const { a, b } = await visitorTabs()
    // B writes its event while A, not yet knowing of it, signs the visitor in as u_42.
    await created(b)
    a.store.switchUser('u_42', { merge: true })
    deliver()
    // B follows the sign-in (the identity's storage event): its own event joins the user's.
    b.store.switchUser('u_42', { merge: true })
    deliver()
    expect(stored('u_42')).toBe(4)
    expect(shown(a)).toBe(4)
    expect(shown(b)).toBe(4)
    expect(storage.has(usageStorageKey('anon-1'))).toBe(false)
  })

  it('a tab whose own sign-in comes before the news of another tab’s sign-in of the visitor counts the visitor once', async () => {
    const { deliver, stored, shown, visitorTabs } = laggingTabs()
    const { a, b } = await visitorTabs()
    a.store.switchUser('u_42', { merge: true })
    await created(b)
    // A's merged profile reaches B; the removal of the visitor's key does not (B's write to it is on its way).
    deliver(2)
    b.store.switchUser('u_42', { merge: true })
    deliver()
    expect(stored('u_42')).toBe(4)
    expect(shown(a)).toBe(4)
    expect(shown(b)).toBe(4)
  })

  it('two tabs signing in at once keep the event the later one’s merge had not seen', async () => {
    const { deliver, stored, shown, visitorTabs } = laggingTabs()
    const { a, b } = await visitorTabs()
    // A writes a fourth event and signs in; B signs in too, having seen only the first three.
    await created(a)
    a.store.switchUser('u_42', { merge: true })
    b.store.switchUser('u_42', { merge: true })
    deliver()
    expect(stored('u_42')).toBe(4)
    expect(shown(b)).toBe(4)
  })

  it('a profile an older version wrote (it lists no writers) is taken as holding this tab’s events', async () => {
    const { shared, tabA, tabB, a } = twoTabs()
    const stored = () => countOf(JSON.parse(shared.get(usageStorageKey('u_42'))!), 'Task Created')
    for (let i = 0; i < 3; i++) a.record({ name: 'Task Created' })
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    // An open tab still on the previous release writes the profile with one event more.
    const { w: _, ...older } = JSON.parse(shared.get(usageStorageKey('u_42'))!)
    shared.set(usageStorageKey('u_42'), JSON.stringify(recordEvent(older, { name: 'Task Created', time: start }, dayKey)))
    tabA.fireStorage(usageStorageKey('u_42'))
    expect(countOf(a.$profile.get(), 'Task Created')).toBe(4)
    // Tab B, on this release, writes its event on top: its list names only itself.
    const b = createUsageStore({ platform: tabB, key: 'u_42', dayKey })
    b.record({ name: 'Task Created' })
    await tabB.advance(USAGE_WRITE_DELAY_MS)
    tabA.fireStorage(usageStorageKey('u_42'))
    expect(stored()).toBe(5)
    expect(countOf(a.$profile.get(), 'Task Created')).toBe(5)
    a.record({ name: 'Task Created' })
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    expect(stored()).toBe(6)
  })

  /** Tabs over one browser's storage (safeStorage on a shared backing); a tab made with `quotaHits` has its writes refused while `quota.full`. */
  const browserTabs = () => {
    const shared = new Map<string, string>()
    const quota = { full: false }
    const tab = (key: string, quotaHits = false) => {
      const backing = {
        getItem: (k: string) => shared.get(k) ?? null,
        setItem: (k: string, v: string) => {
          if (quotaHits && quota.full) throw new DOMException('quota', 'QuotaExceededError')
          shared.set(k, v)
        },
        removeItem: (k: string) => void shared.delete(k),
        key: (i: number) => [...shared.keys()][i] ?? null,
        get length() {
          return shared.size
        },
      } as Storage
      const platform = createFakePlatform({ now: start, shared })
      platform.storage = safeStorage(() => backing)
      return { platform, store: createUsageStore({ platform, key, dayKey }) }
    }
    return { shared, quota, tab }
  }

  it('with the browser’s storage: identify moves the visitor’s written and unwritten events into the user', async () => {
    const { shared, tab } = browserTabs()
    const a = tab('anon-1')
    const b = tab('anon-1')
    for (let i = 0; i < 3; i++) a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    b.store.record({ name: 'Task Created' })
    await b.platform.advance(USAGE_WRITE_DELAY_MS)
    a.store.record({ name: 'Task Created' })
    a.store.switchUser('u_42', { merge: true })
    a.store.record({ name: 'Report Exported' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    expect(shared.has(usageStorageKey('anon-1'))).toBe(false)
    const stored = JSON.parse(shared.get(usageStorageKey('u_42'))!)
    expect(countOf(stored, 'Task Created')).toBe(5)
    expect(countOf(stored, 'Report Exported')).toBe(1)
  })

  it('a visitor merged into a user by another tab is not merged a second time by this tab’s own identify', async () => {
    const shared = new Map<string, string>()
    const tabA = createFakePlatform({ now: start, shared })
    const tabB = createFakePlatform({ now: start, shared })
    const a = createUsageStore({ platform: tabA, key: 'anon-1', dayKey })
    const b = createUsageStore({ platform: tabB, key: 'anon-1', dayKey })
    for (let i = 0; i < 3; i++) a.record({ name: 'Task Created' })
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    tabB.fireStorage(usageStorageKey('anon-1'))
    // The visitor signs in in tab A: its 3 events become u_42's.
    a.switchUser('u_42', { merge: true })
    const seen: number[] = []
    b.$profile.listen((p) => seen.push(countOf(p, 'Task Created')))
    tabB.fireStorage(usageStorageKey('anon-1'))
    // Tab B still shows the visitor's 3 (its sign-in is a storage event away): never 0, even for
    // a moment, which could start a new user's experiences.
    expect(countOf(b.$profile.get(), 'Task Created')).toBe(3)
    // Tab B, still anonymous, tracks one more and writes it, then signs in too.
    b.record({ name: 'Task Created' })
    await tabB.advance(USAGE_WRITE_DELAY_MS)
    b.switchUser('u_42', { merge: true })
    expect(countOf(JSON.parse(shared.get(usageStorageKey('u_42'))!), 'Task Created')).toBe(4)
    expect(countOf(b.$profile.get(), 'Task Created')).toBe(4)
    expect(seen).toEqual([4, 4])
  })

  it('keeps counting in memory when storage fails', () => {
    const platform = createFakePlatform({ now: start })
    platform.failStorage = true
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    store.record({ name: 'Task Created' })
    store.record({ name: 'Task Created' })
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(2)
  })

  it('an unwritable storage does not make a tab forget its own unsaved events', async () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    store.record({ name: 'Task Created' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    const realSet = platform.storage.set
    platform.storage.set = () => false
    store.record({ name: 'Task Created' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    platform.storage.set = realSet
    store.record({ name: 'Task Created' })
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(3)
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(JSON.parse(platform.storageMap.get(usageStorageKey('anon-1'))!), 'Task Created')).toBe(3)
  })

  it('a tab whose write hit the quota loses neither its own events nor another tab’s written meanwhile', async () => {
    const { shared, quota, tab } = browserTabs()
    const a = tab('u_42', true)
    const b = tab('u_42')
    a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    b.platform.fireStorage(usageStorageKey('u_42'))
    // Tab A's next write hits the quota; tab B's two events are written meanwhile.
    quota.full = true
    a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    b.store.record({ name: 'Task Created' })
    b.store.record({ name: 'Task Created' })
    await b.platform.advance(USAGE_WRITE_DELAY_MS)
    a.platform.fireStorage(usageStorageKey('u_42'))
    expect(countOf(a.store.$profile.get(), 'Task Created')).toBe(4)
    // Room again: tab A's next write carries its refused event and keeps tab B's.
    quota.full = false
    a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(JSON.parse(shared.get(usageStorageKey('u_42'))!), 'Task Created')).toBe(5)
  })

  it('a tab following a sign-in whose merge storage refused counts the visitor’s history in the user', async () => {
    const { shared, quota, tab } = browserTabs()
    const c = tab('u_42')
    c.store.record({ name: 'Report Exported' })
    await c.platform.advance(USAGE_WRITE_DELAY_MS)
    const a = tab('anon-1', true)
    const b = tab('anon-1')
    for (let i = 0; i < 3; i++) a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    b.platform.fireStorage(usageStorageKey('anon-1'))
    b.store.record({ name: 'Task Created' })
    await b.platform.advance(USAGE_WRITE_DELAY_MS)
    a.platform.fireStorage(usageStorageKey('anon-1'))
    // Tab A signs in, but storage refuses the merged profile: the visitor's stays where it was.
    quota.full = true
    a.store.switchUser('u_42', { merge: true })
    b.store.switchUser('u_42', { merge: true })
    const stored = JSON.parse(shared.get(usageStorageKey('u_42'))!)
    expect(countOf(stored, 'Task Created')).toBe(4)
    expect(countOf(stored, 'Report Exported')).toBe(1)
  })

  it('a sign-in whose merged profile storage refuses leaves the visitor’s profile where it was', async () => {
    const { shared, quota, tab } = browserTabs()
    const { platform, store } = tab('anon-1', true)
    for (let i = 0; i < 3; i++) store.record({ name: 'Task Created' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    quota.full = true
    store.switchUser('u_42', { merge: true })
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(3)
    expect(countOf(JSON.parse(shared.get(usageStorageKey('anon-1'))!), 'Task Created')).toBe(3)
  })

  it('a tab whose visitor was merged elsewhere counts each refused event once when it writes again', async () => {
    const { shared, quota, tab } = browserTabs()
    const a = tab('anon-1')
    const b = tab('anon-1', true)
    for (let i = 0; i < 3; i++) a.store.record({ name: 'Task Created' })
    await a.platform.advance(USAGE_WRITE_DELAY_MS)
    b.platform.fireStorage(usageStorageKey('anon-1'))
    a.store.switchUser('u_42', { merge: true })
    b.platform.fireStorage(usageStorageKey('anon-1'))
    // Tab B's next two writes are refused, the third goes through.
    quota.full = true
    for (let i = 0; i < 2; i++) {
      b.store.record({ name: 'Task Created' })
      await b.platform.advance(USAGE_WRITE_DELAY_MS)
    }
    quota.full = false
    b.store.record({ name: 'Task Created' })
    await b.platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(JSON.parse(shared.get(usageStorageKey('anon-1'))!), 'Task Created')).toBe(3)
    b.store.switchUser('u_42', { merge: true })
    expect(countOf(JSON.parse(shared.get(usageStorageKey('u_42'))!), 'Task Created')).toBe(6)
  })

  it('events storage refused for one user are not counted for the next one to sign in on the device', async () => {
    const { shared, tabA, tabB, a, b } = twoTabs()
    b.switchUser('u_43', { merge: false })
    a.record({ name: 'Task Created' })
    tabA.failStorage = true
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    a.switchUser('u_43', { merge: false })
    tabA.failStorage = false
    // Another tab writes u_43's profile; tab A, now u_43's, takes it in and writes on top.
    b.record({ name: 'Report Exported' })
    await tabB.advance(USAGE_WRITE_DELAY_MS)
    tabA.fireStorage(usageStorageKey('u_43'))
    a.record({ name: 'Report Exported' })
    await tabA.advance(USAGE_WRITE_DELAY_MS)
    const stored = JSON.parse(shared.get(usageStorageKey('u_43'))!)
    expect(countOf(stored, 'Report Exported')).toBe(2)
    expect(countOf(stored, 'Task Created')).toBe(0)
  })

  it('a corrupt stored profile starts afresh instead of failing', () => {
    const platform = createFakePlatform({ now: start })
    platform.storageMap.set(usageStorageKey('anon-1'), '{"v":1,"events":')
    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    expect(store.$profile.get()).toEqual(emptyProfile())
    store.record({ name: 'Task Created' })
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(1)
  })

  it('identify carries the visitor’s usage into the user, once', () => {
    const platform = createFakePlatform({ now: start })
    const earlier = createUsageStore({ platform, key: 'u_42', dayKey })
    earlier.record({ name: 'Project Created', time: start - 86_400_000 * 20 })
    earlier.destroy()

    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    store.record({ name: 'Project Created' })
    store.switchUser('u_42', { merge: true })
    expect(countOf(store.$profile.get(), 'Project Created')).toBe(2)
    expect(store.$profile.get().firstSeen).toBe(start - 86_400_000 * 20)
    expect(platform.storageMap.has(usageStorageKey('anon-1'))).toBe(false)
    expect(countOf(createUsageStore({ platform, key: 'u_42', dayKey }).$profile.get(), 'Project Created')).toBe(2)
  })

  it('identify into a user whose stored profile an older release wrote (an event without daily counts, one emptied) merges the visitor, losing neither', async () => {
    const platform = createFakePlatform({ now: start })
    const earlier = createUsageStore({ platform, key: 'u_42', dayKey })
    for (let i = 0; i < 5; i++) earlier.record({ name: 'Report Exported', time: start - 86_400_000 * 20 })
    earlier.record({ name: 'Project Created', time: start - 86_400_000 * 20 })
    earlier.destroy()
    const key = usageStorageKey('u_42')
    const stored = JSON.parse(platform.storage.get(key)!)
    delete stored.events['Report Exported'].days
    stored.events['Task Created'] = null
    platform.storage.set(key, JSON.stringify(stored))

    const store = createUsageStore({ platform, key: 'anon-1', dayKey })
    store.record({ name: 'Report Exported' })
    store.record({ name: 'Task Created' })
    expect(() => store.switchUser('u_42', { merge: true })).not.toThrow()
    const merged = store.$profile.get()
    expect([countOf(merged, 'Report Exported'), countOf(merged, 'Task Created'), countOf(merged, 'Project Created')]).toEqual([6, 1, 1])
    expect(countWithin(merged, 'Report Exported', 7, dayKey(start))).toBe(1)
    // Written as the user's, once; the visitor's own key is gone.
    store.record({ name: 'Page Opened' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(JSON.parse(platform.storage.get(key)!), 'Report Exported')).toBe(6)
    expect(platform.storageMap.has(usageStorageKey('anon-1'))).toBe(false)
  })

  it('reset starts a fresh visitor who does not inherit the previous user’s usage', () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'u_42', dayKey })
    store.record({ name: 'Project Created' })
    store.switchUser('anon-2', { merge: false })
    expect(store.$profile.get()).toEqual(emptyProfile())
    store.record({ name: 'Task Created' })
    store.switchUser('u_42', { merge: false })
    expect(countOf(store.$profile.get(), 'Project Created')).toBe(1)
    expect(countOf(store.$profile.get(), 'Task Created')).toBe(0)
  })

  it('subscribers hear each recorded event', () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'a', dayKey })
    const seen: number[] = []
    store.$profile.listen((p) => seen.push(countOf(p as UsageProfile, 'Task Created')))
    store.record({ name: 'Task Created' })
    store.record({ name: 'Task Created' })
    expect(seen).toEqual([1, 2])
  })
})

// holdForIdentify: the app asks its server who is signed in; until the answer names them, the
// events of this page are counted at once (rules read them) but belong to whoever it names.
describe('events made before the app names who is signed in (holdForIdentify)', () => {
  const start = Date.parse('2026-03-02T10:00:00Z')
  const sharedLaptop = () => {
    const platform = createFakePlatform({ now: start })
    // Ana used this browser last; her profile is stored. Bob now lands, signed in.
    const ana = createUsageStore({ platform, key: 'u:ana', dayKey })
    ana.record({ name: 'Project Created', time: start - 86_400_000 })
    ana.destroy()
    return { platform, store: createUsageStore({ platform, key: 'u:ana', dayKey, holdForIdentify: 3000 }) }
  }
  const stored = (platform: ReturnType<typeof createFakePlatform>, key: string) => JSON.parse(platform.storage.get(usageStorageKey(key)) ?? 'null') as UsageProfile | null

  it("on a shared laptop, what Bob did before the app named him counts in Bob's profile, not in Ana's", async () => {
    const { platform, store } = sharedLaptop()
    store.record({ name: 'Export Clicked' })
    // Heard at once: the page's rules read it.
    expect(countOf(store.$profile.get(), 'Export Clicked')).toBe(1)
    await platform.advance(USAGE_WRITE_DELAY_MS * 2)
    store.switchUser('u:bob', { merge: false })
    expect(countOf(stored(platform, 'u:ana')!, 'Export Clicked')).toBe(0)
    expect(countOf(stored(platform, 'u:ana')!, 'Project Created')).toBe(1)
    expect(countOf(store.$profile.get(), 'Export Clicked')).toBe(1)
    expect(countOf(store.$profile.get(), 'Project Created')).toBe(0)
    store.settle()
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(stored(platform, 'u:ana')!, 'Export Clicked')).toBe(0)
    expect(countOf(stored(platform, 'u:bob')!, 'Export Clicked')).toBe(1)
  })

  it('a session answer that says nobody is signed in (reset) counts it for the new visitor', async () => {
    const { platform, store } = sharedLaptop()
    store.record({ name: 'Pricing Viewed' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    store.switchUser('a:new-visitor', { merge: false })
    expect(countOf(stored(platform, 'u:ana')!, 'Pricing Viewed')).toBe(0)
    expect(countOf(store.$profile.get(), 'Pricing Viewed')).toBe(1)
    store.settle()
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(stored(platform, 'u:ana')!, 'Pricing Viewed')).toBe(0)
    expect(countOf(stored(platform, 'a:new-visitor')!, 'Pricing Viewed')).toBe(1)
  })

  it('Ana herself, named again (or nobody named before the wait ends), keeps it, once', async () => {
    const { platform, store } = sharedLaptop()
    store.record({ name: 'Export Clicked' })
    store.settle()
    store.settle()
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(stored(platform, 'u:ana')!, 'Export Clicked')).toBe(1)
    const reloaded = createUsageStore({ platform, key: 'u:ana', dayKey })
    expect(countOf(reloaded.$profile.get(), 'Export Clicked')).toBe(1)
  })

  it('a visitor the answer signs in brings it to their user once', async () => {
    const platform = createFakePlatform({ now: start })
    const store = createUsageStore({ platform, key: 'a:anon-1', dayKey, holdForIdentify: 3000 })
    store.record({ name: 'Export Clicked' })
    store.switchUser('u:bob', { merge: true })
    store.settle()
    store.record({ name: 'Export Clicked' })
    await platform.advance(USAGE_WRITE_DELAY_MS)
    expect(countOf(stored(platform, 'u:bob')!, 'Export Clicked')).toBe(2)
    expect(stored(platform, 'a:anon-1')).toBe(null)
  })

  it('a page that goes away before the answer writes what it counted once the wait is given up', async () => {
    const { platform, store } = sharedLaptop()
    store.record({ name: 'Export Clicked' })
    platform.hide()
    store.settle()
    await platform.advance(0)
    expect(countOf(stored(platform, 'u:ana')!, 'Export Clicked')).toBe(1)
  })
})
