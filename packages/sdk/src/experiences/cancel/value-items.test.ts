import { describe, expect, it } from 'vitest'
import { emptyProfile, recordEvent } from '../../usage'
import { valueItems } from './value-items'

const items = [
  { event: 'Project Created', label: '{count} projects created' },
  { event: 'Task Created', label: '{count} tasks tracked' },
  { event: 'Report Exported', label: '{count} reports exported' },
  { points: true as const, label: '{points} points and {badges} badges earned' },
]
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function profileWith(counts: Record<string, number>) {
  let p = emptyProfile()
  let t = Date.parse('2026-03-01T10:00:00Z')
  for (const [name, n] of Object.entries(counts)) for (let i = 0; i < n; i++) p = recordEvent(p, { name, time: (t += 1000) }, day)
  return p
}

describe('the value reminder', () => {
  it('fills each line with what this user did, and leaves out lines with nothing to show', () => {
    const lines = valueItems(items, profileWith({ 'Project Created': 4, 'Report Exported': 2 }), undefined)
    expect(lines).toEqual([
      { label: '{count} projects created', vars: { count: 4 } },
      { label: '{count} reports exported', vars: { count: 2 } },
    ])
  })

  it('counts points and earned badges', () => {
    const lines = valueItems(items, profileWith({}), { points: 85, earned: { onboarded: 1, reporter: 2 } })
    expect(lines).toEqual([{ label: '{points} points and {badges} badges earned', vars: { points: 85, badges: 2 } }])
  })

  it('has nothing to remind a brand-new user of', () => {
    expect(valueItems(items, emptyProfile(), { points: 0, earned: {} })).toEqual([])
    expect(valueItems(undefined, profileWith({ 'Project Created': 1 }), undefined)).toEqual([])
  })

  it('a user active every day for four months is reminded of their days active in the last 90 days', () => {
    let p = emptyProfile()
    for (let d = 0; d < 120; d++) p = recordEvent(p, { name: 'Page Opened', time: Date.parse('2026-01-01T10:00:00Z') + d * 86_400_000 }, day)
    expect(valueItems([{ activeDays: true, label: '{count} days active in the last 90 days' }], p, undefined)).toEqual([{ label: '{count} days active in the last 90 days', vars: { count: 90 } }])
  })

  it('does not mistake built-in object keys for events', () => {
    expect(valueItems([{ event: 'constructor', label: '{count}' }], emptyProfile(), undefined)).toEqual([])
  })
})

describe('the value reminder with vendor metrics', () => {
  it('shows a metric the vendor supplies as a trait, as the value review does', () => {
    const lines = valueItems([{ trait: 'hoursSaved', label: '{count} hours saved' }], emptyProfile(), undefined, { hoursSaved: 12 })
    expect(lines).toEqual([{ label: '{count} hours saved', vars: { count: 12 } }])
  })
})
