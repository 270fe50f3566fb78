import { afterEach, expect, it } from 'vitest'
import { dayKeyIn, emptyProfile, mergeProfiles, recordEvent } from './usage'
import { countWithin } from './usage-reads'

// Found by test/hardening: old libraries (MooTools-era plugins) add enumerable methods to
// Object.prototype, and for...in over a profile's days then counted them as days.
afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).extend
})

it('counts and merges only real days when the page added an enumerable Object.prototype method', () => {
  ;(Object.prototype as Record<string, unknown>).extend = function () {}
  const day = dayKeyIn('UTC')
  const at = Date.parse('2026-03-02T10:00:00Z')
  let anon = emptyProfile()
  for (let i = 0; i < 3; i++) anon = recordEvent(anon, { name: 'Task Created', time: at }, day)
  const user = recordEvent(emptyProfile(), { name: 'Task Created', time: at }, day)
  const merged = mergeProfiles(anon, user)
  expect(countWithin(merged, 'Task Created', 7, day(at))).toBe(4)
  expect(Object.keys(merged.events['Task Created'].days)).toEqual(['2026-03-02'])
})

it('keeps counting when a full profile (500 event names) holds an entry a hand edit emptied', () => {
  const day = dayKeyIn('UTC')
  const at = Date.parse('2026-03-02T10:00:00Z')
  let profile = emptyProfile()
  for (let i = 0; i < 500; i++) profile = recordEvent(profile, { name: `Event ${i}`, time: at - i * 1000 }, day)
  const edited = { ...profile, events: { ...profile.events, 'Event 7': null as never } }
  const after = recordEvent(edited, { name: 'Report Exported', time: at + 1000 }, day)
  expect(countWithin(after, 'Report Exported', 7, day(at))).toBe(1)
  expect(Object.keys(after.events)).toHaveLength(500)
  expect(after.events['Event 0'].count).toBe(1)
})
