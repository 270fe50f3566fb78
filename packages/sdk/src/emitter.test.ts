import { describe, expect, it, vi } from 'vitest'
import { createEmitter, shortName } from './emitter'

describe('event names for on()', () => {
  it('turns Linger event names into the short form docs/architecture.md documents', () => {
    expect(shortName('Survey Answered')).toBe('survey:answered')
    expect(shortName('Cancel Offer Accepted')).toBe('cancel:offer-accepted')
    expect(shortName('Checklist Task Completed')).toBe('checklist:task-completed')
    expect(shortName('Tour Target Missing')).toBe('tour:target-missing')
  })
})

describe('listeners', () => {
  it('a listener that throws does not stop the others and is reported', () => {
    const onErr = vi.fn()
    const em = createEmitter<[number]>(onErr)
    const good = vi.fn()
    em.on('x', () => {
      throw new Error('vendor bug')
    })
    em.on('x', good)
    em.emit('x', 1)
    expect(good).toHaveBeenCalledWith(1)
    expect(onErr).toHaveBeenCalledTimes(1)
  })

  it('off and the returned unsubscribe both stop delivery', () => {
    const em = createEmitter<[number]>(() => {})
    const a = vi.fn()
    const b = vi.fn()
    const unsub = em.on('x', a)
    em.on('x', b)
    unsub()
    em.off('x', b)
    em.emit('x', 1)
    expect(a).not.toHaveBeenCalled()
    expect(b).not.toHaveBeenCalled()
  })
})
