import { describe, expect, it } from 'vitest'
import type { ExperienceHost } from './host'
import { acrossTabs } from './across-tabs'

describe('a grant pass across tabs', () => {
  it('on a page without Web Locks, a pass that fails is reported, not thrown into the host page', () => {
    const errors: unknown[] = []
    const host = { reportError: (e: unknown) => errors.push(e) } as unknown as ExperienceHost
    const run = acrossTabs(host, () => {
      throw new TypeError('a list with no tasks record')
    })
    expect(() => run()).not.toThrow()
    expect(errors).toEqual([{ code: 'experience-failed', message: 'grant: TypeError: a list with no tasks record' }])
  })

  it('on a page without Web Locks, a disposed controller grants nothing more', () => {
    let passes = 0
    const run = acrossTabs({ reportError() {} } as unknown as ExperienceHost, () => void passes++)
    run()
    run.stop()
    run()
    expect(passes).toBe(1)
  })
})
