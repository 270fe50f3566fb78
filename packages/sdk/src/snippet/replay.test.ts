import { describe, expect, it, vi } from 'vitest'
import { createFront, siteOf, type QueuedCall } from './replay'
import type { Linger } from '../client'

function fakeClient() {
  const calls: Array<[string, unknown[], unknown]> = []
  return { calls, client: { call: (m: string, a: unknown[], s: unknown) => void calls.push([m, a, s]) } as unknown as Linger }
}

describe('the script-tag front', () => {
  it('replays queued calls in order, each with the time and page it was made on', () => {
    const { calls, client } = fakeClient()
    const create = vi.fn(() => client)
    const { replay } = createFront(create, 'https://ref.example/', () => {})
    const queue: QueuedCall[] = [
      [['init', { key: 'pk' }], 1000, 'https://app.example.com/a?x=1#/h', 'A'],
      [['identify', 'u_42', { plan: 'pro' }], 1001, 'https://app.example.com/a', 'A'],
      [['track', 'Project Created', { template: 'kanban' }], 1002, 'https://app.example.com/b', 'B'],
    ]
    replay(queue)
    expect(create).toHaveBeenCalledWith({ key: 'pk' }, siteOf(queue[0], 'https://ref.example/'), [])
    expect(calls.map((c) => c[0])).toEqual(['identify', 'track'])
    expect(calls[1][2]).toEqual({ time: 1002, page: { url: 'https://app.example.com/b', path: '/b', search: '', hash: '', title: 'B', referrer: 'https://ref.example/' } })
  })

  it('holds calls made before init until init arrives, keeping their order', () => {
    const { calls, client } = fakeClient()
    const { front, replay } = createFront(() => client, '', () => {})
    replay([[['track', 'Early'], 5, 'https://x.example/', 'X']])
    ;(front.track as (...a: unknown[]) => void)('Later')
    expect(calls).toEqual([])
    front('init', { key: 'pk' })
    expect(calls.map((c) => c[1][0])).toEqual(['Early', 'Later'])
  })

  it('hands the calls made before init to the client as it is created (to run before init\'s page view), and replays those it left', () => {
    const { calls, client } = fakeClient()
    const taken: unknown[] = []
    const { replay } = createFront(
      (_options, _site, queued) => (taken.push(...queued.splice(0, 1).map((c) => c[1][0])), client),
      '',
      () => {},
    )
    replay([
      [['identify', 'ann'], 1, 'https://x.example/', 'X'],
      [['track', 'Early'], 2, 'https://x.example/', 'X'],
      [['init', { key: 'pk' }], 3, 'https://x.example/', 'X'],
      [['track', 'Later'], 4, 'https://x.example/', 'X'],
    ])
    expect(taken).toEqual(['ann'])
    expect(calls.map((c) => c[1][0])).toEqual(['Early', 'Later'])
  })

  it('both call styles reach the client after load', () => {
    const { calls, client } = fakeClient()
    const { front } = createFront(() => client, '', () => {})
    front('init', { key: 'pk' })
    front('track', 'A')
    ;(front.track as (...a: unknown[]) => void)('B')
    expect(calls.map((c) => [c[0], c[1][0]])).toEqual([['track', 'A'], ['track', 'B']])
  })

  it('a second init goes to the client, which ignores it with a warning', () => {
    const { calls, client } = fakeClient()
    const create = vi.fn(() => client)
    const { front } = createFront(create, '', () => {})
    front('init', { key: 'a' })
    front('init', { key: 'b' })
    expect(create).toHaveBeenCalledTimes(1)
    expect(calls[0][0]).toBe('init')
  })
})
