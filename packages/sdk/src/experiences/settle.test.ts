import { describe, expect, it } from 'vitest'
import { createSettler } from './settle'

describe('events that cause events settle without nesting', () => {
  it('a call during a pass becomes one more pass, not a nested one', () => {
    let depth = 0
    let maxDepth = 0
    let passes = 0
    const settler = createSettler(() => {
      depth++
      maxDepth = Math.max(maxDepth, depth)
      passes++
      if (passes < 3) expect(settler.run()).toBe(false)
      depth--
    })
    expect(settler.run()).toBe(true)
    expect(passes).toBe(3)
    expect(maxDepth).toBe(1)
  })

  it('work run within a pass only asks for more; the outermost caller is told to settle it', () => {
    const settler = createSettler(() => {})
    expect(settler.within(() => settler.run())).toBe(true)
    // The caller settles as told; after that, quiet work asks for nothing.
    expect(settler.run()).toBe(true)
    expect(settler.within(() => {})).toBe(false)
  })

  it('a pass that throws leaves the guard usable', () => {
    let fail = true
    const settler = createSettler(() => {
      if (fail) throw new Error('boom')
    })
    expect(() => settler.run()).toThrow('boom')
    fail = false
    expect(settler.run()).toBe(true)
  })
})
