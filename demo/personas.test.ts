import { afterEach, describe, expect, it } from 'vitest'
import { renewalDue } from '../packages/sdk/src/experiences/billing/stages'
// @ts-expect-error plain ESM shared with the demo server
import { personas } from './personas.mjs'

// `npm start` runs on the vendor's own machine, in the browser's time zone, and Linger reads a
// date alone (createdAt, renewsAt) as that day on the user's calendar.
describe("the demo's personas, in the vendor's own time zone", () => {
  const zone = process.env.TZ
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })
  const reminders = { id: 'renewal-reminder', title: 'Your plan renews soon', body: '', action: 'Check', days: [7, 3, 2] }

  // 8 pm in Los Angeles is already the next day in UTC; 9 am in Auckland is still the day before.
  const evenings: Array<[string, string]> = [
    ['America/Los_Angeles', '2026-12-05T20:00:00-08:00'],
    ['Pacific/Auckland', '2026-12-05T09:00:00+13:00'],
    ['UTC', '2026-12-05T12:00:00Z'],
  ]
  for (const [tz, at] of evenings) {
    it(`Dana signed up today and gets the 7-day renewal reminder, in ${tz}`, () => {
      process.env.TZ = tz
      const now = Date.parse(at)
      const dana = personas(now).u_42.traits
      expect(renewalDue(reminders as never, dana, {}, now, '2026-12-05')).toEqual({ threshold: 7, daysUntilRenewal: 7 })
      expect(dana.createdAt).toBe('2026-12-05')
    })
  }

  it('Sam, 40 days a customer, had his card fail two days ago, in Los Angeles at 8 pm', () => {
    process.env.TZ = 'America/Los_Angeles'
    const sam = personas(Date.parse('2026-12-05T20:00:00-08:00')).u_7.traits
    expect([sam.createdAt, sam.pastDueSince, sam.renewsAt]).toEqual(['2026-10-26', '2026-12-03', '2026-12-25'])
  })
})
