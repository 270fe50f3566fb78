import { afterEach, describe, expect, it, vi } from 'vitest'

// json.ts keeps the JSON.stringify it found at load: the spy goes in before a fresh import.
async function watched() {
  vi.resetModules()
  const stringify = vi.spyOn(JSON, 'stringify')
  const { cleanProperties } = await import('./properties')
  stringify.mockClear()
  return { cleanProperties, stringify }
}

afterEach(() => vi.restoreAllMocks())

describe('a track() call pays for serialising its event once (by delivery), not for its properties again', () => {
  it('ordinary properties are checked against the size limit without being turned into JSON', async () => {
    const { cleanProperties, stringify } = await watched()
    const { value, problems } = cleanProperties({ plan: 'pro', seats: 12, source: 'onboarding', tags: ['kanban', 'csv'], at: new Date('2026-03-01T09:00:00Z') })
    expect(problems).toEqual([])
    expect(value).toEqual({ plan: 'pro', seats: 12, source: 'onboarding', tags: ['kanban', 'csv'], at: '2026-03-01T09:00:00.000Z' })
    expect(stringify).not.toHaveBeenCalled()
  })

  it('properties that could be over the limit are still measured as the wire counts them: 6,000 control characters are 36,000 bytes escaped, and cut', async () => {
    const { cleanProperties } = await watched()
    const { value, problems } = cleanProperties({ step: 2, log: '\u0001'.repeat(6_000) })
    expect(value).toMatchObject({ step: 2, log: '[truncated]', lingerTruncated: ['log'] })
    expect(problems[0]).toMatch(/log truncated/)
  })

  it('1,500 numbers of 24 characters each (37,500 bytes) are measured and cut, though no string among them is long', async () => {
    const { cleanProperties } = await watched()
    const { value } = cleanProperties({ step: 2, samples: new Array(1_500).fill(-1.7976931348623157e308) })
    expect(value).toMatchObject({ step: 2, samples: '[truncated]', lingerTruncated: ['samples'] })
  })

  it('an array with holes is measured as the nulls JSON sends for them: 20,000 empty slots (100,000 bytes) are cut', async () => {
    const { cleanProperties } = await watched()
    const scores: number[] = []
    scores[20_000] = 1
    const { value } = cleanProperties({ step: 2, scores, grid: { toJSON: () => new Array(9_000) } })
    expect(value).toMatchObject({ step: 2, scores: '[truncated]', grid: '[truncated]', lingerTruncated: ['scores', 'grid'] })
  })

  it('a BigInt of 40,000 digits counts toward the limit as the string it is sent as', async () => {
    const { cleanProperties } = await watched()
    const { value } = cleanProperties({ step: 2, id: 10n ** 40_000n })
    expect(value).toMatchObject({ step: 2, id: '[truncated]', lingerTruncated: ['id'] })
  })
})
