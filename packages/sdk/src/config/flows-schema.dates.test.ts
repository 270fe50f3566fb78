import { describe, expect, test } from 'vitest'
import { validateFlows } from './validate-flows'

const item = (publishedAt: unknown) => ({ id: 'templates', format: 'feed', title: 'Templates are here', publishedAt })
const feed = (publishedAt: unknown) => validateFlows({ announcements: [item(publishedAt), { ...item('2026-09-15'), id: 'reports' }] })

describe('a feed item dated with a day that does not exist', () => {
  test.each(['2026-13-45', '2026-01-01T99Z', '2026-02-30', '2026-04-31T10:00:00Z'])('%s is reported with its path and the item skipped; the rest of the feed runs', (date) => {
    const result = feed(date)
    expect(result.errors).toEqual([expect.objectContaining({ path: 'announcements[0].publishedAt', message: `announcements[0].publishedAt: is not a real date, got "${date}"` })])
    expect(result.flows.announcements?.map((a) => a.id)).toEqual(['reports'])
  })

  test('a date not written the ISO way says how to write it, once', () => {
    expect(feed('15/09/2026').errors.map((e) => e.message)).toEqual(['announcements[0].publishedAt: must be an ISO date like "2026-11-02" (a time with its offset: "2026-11-02T09:00+01:00"), got "15/09/2026"'])
  })

  test.each(['2026-02-28', '2028-02-29', '2026-11-02T09:30:00Z', '2026-11-02T09:30:00.5+02:00', '2026-12-31T24:00Z', '2026-11-02T09:30-0500'])('%s is a real date', (date) => {
    expect(feed(date).errors).toEqual([])
  })
})

describe('a feed item dated with a time but no offset ("2026-03-01T09:00")', () => {
  // Whose 9:00? The feed read it as each user's own (out 14 hours before the release in
  // Kiritimati), rules read such a time as UTC (5 hours early for a vendor in New York).
  test.each(['2026-03-01T09:00', '2026-03-01T09:00:00.000'])('%s is reported with its path, saying to give the offset; the rest of the feed runs', (date) => {
    const result = feed(date)
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'announcements[0].publishedAt', message: `announcements[0].publishedAt: must be an ISO date like "2026-11-02" (a time with its offset: "2026-11-02T09:00+01:00"), got "${date}"` }),
    ])
    expect(result.flows.announcements?.map((a) => a.id)).toEqual(['reports'])
  })
})
