// @vitest-environment jsdom
import { atom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import type { Linger } from '@linger/sdk'
import { mountWidgets } from './mount'

describe('experiences waiting for the user to look at a background tab', () => {
  let hidden = true
  const was = [Object.getOwnPropertyDescriptor(document, 'hidden'), Object.getOwnPropertyDescriptor(document, 'visibilityState')] as const
  afterEach(() => {
    for (const [i, name] of (['hidden', 'visibilityState'] as const).entries()) was[i] ? Object.defineProperty(document, name, was[i]!) : delete (document as unknown as Record<string, unknown>)[name]
  })

  it('all go on once the tab is looked at, even when one of them fails: the others are not lost, and nothing throws into the page', async () => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    const errors: Array<{ code: string; message: string }> = []
    const host = { options: {}, flows: atom({ settings: {} }), reportError: (e: { code: string; message: string }) => errors.push(e) }
    const linger = { ready: Promise.resolve(), likely: atom([]), experiences: {}, host } as unknown as Linger
    const unmount = mountWidgets(linger)
    const screen = linger.host.screen!
    const went: string[] = []
    expect(
      screen.away!(() => {
        throw new Error('a broken trigger')
      }),
    ).toBe(true)
    screen.away!(() => went.push('survey'))
    const pageErrors: unknown[] = []
    const onError = (e: ErrorEvent) => (pageErrors.push(e.error), e.preventDefault())
    window.addEventListener('error', onError)
    hidden = false
    document.dispatchEvent(new Event('visibilitychange'))
    window.removeEventListener('error', onError)
    expect(went).toEqual(['survey'])
    expect(pageErrors).toEqual([])
    expect(errors).toEqual([expect.objectContaining({ code: 'widget-failed', message: expect.stringContaining('a broken trigger') })])
    unmount()
  })
})
