import { describe, expect, it } from 'vitest'
import { messageId } from './events'

describe('message ids', () => {
  it('are v4 UUIDs, and a thousand of them from the browser’s random source never repeat', () => {
    const ids = Array.from({ length: 1000 }, () => messageId(Math.random))
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(1000)
  })

  it('use every draw of the random source: two sources that differ in any draw give two ids', () => {
    // A source that returns its extremes still gives well-formed ids.
    expect(messageId(() => 0)).toBe('00000000-0000-4000-8000-000000000000')
    expect(messageId(() => 0.9999999999)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
    const draws = [0.1, 0.2, 0.3, 0.4]
    const base = messageId(((i) => () => draws[i++ % 4])(0))
    for (let k = 0; k < 4; k++) {
      const changed = draws.map((d, i) => (i === k ? d + 0.05 : d))
      expect(messageId(((i) => () => changed[i++ % 4])(0))).not.toBe(base)
    }
  })
})
