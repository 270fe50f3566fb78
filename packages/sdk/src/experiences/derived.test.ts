import { atom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import { derived } from './derived'

describe('derived (what a banner or modal shows, from the controller’s stores)', () => {
  it('reads what its stores hold now, even with no one listening, and is the same object until one changes', () => {
    const $a = atom(1)
    const $b = atom('x')
    let made = 0
    const $d = derived([$a, $b], (a: number, b: string) => (made++, { text: `${b}${a}` }))
    const first = $d.get()
    expect(first).toEqual({ text: 'x1' })
    expect($d.get()).toBe(first)
    $b.set('y')
    expect($d.get()).toEqual({ text: 'y1' })
    expect(made).toBe(2)
  })

  it('tells its listeners of each change, and lets go of a shared store once the last one leaves', () => {
    const $shared = atom(0)
    const $d = derived([$shared], (n: number) => n * 2)
    const heard: number[] = []
    const stop = $d.subscribe((v) => heard.push(v))
    $shared.set(1)
    $shared.set(1)
    $shared.set(2)
    expect(heard).toEqual([0, 2, 4])
    stop()
    expect($shared.lc).toBe(0)
    $shared.set(3)
    expect(heard).toEqual([0, 2, 4])
    expect($d.get()).toBe(6)
  })
})
