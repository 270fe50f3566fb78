import { describe, expect, it } from 'vitest'
import { cleanProperties } from './properties'

describe('a property whose getter throws', () => {
  it('loses only itself: the other properties of the event are sent, and the vendor is told which one could not be read', () => {
    // A model object whose computed field throws until it is loaded (a lazy relation, a revoked Proxy).
    const order = Object.defineProperty({ plan: 'pro', rows: 12, customer: { id: 'c_1' } }, 'invoice', {
      enumerable: true,
      get: () => {
        throw new Error('not loaded')
      },
    })
    const { value, problems } = cleanProperties({ order, source: 'toolbar' })
    expect(value).toEqual({ order: { plan: 'pro', rows: 12, customer: { id: 'c_1' } }, source: 'toolbar' })
    expect(problems).toEqual(['properties.order.invoice could not be read (its getter threw)'])
  })

  it('a revoked Proxy among the properties loses only itself', () => {
    const { proxy, revoke } = Proxy.revocable({ step: 2 }, {})
    revoke()
    const { value, problems } = cleanProperties({ wizard: proxy, plan: 'pro' })
    expect(value).toEqual({ wizard: null, plan: 'pro' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^properties\.wizard could not be read/)
  })
})
