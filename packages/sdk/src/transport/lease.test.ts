import { expect, it } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { storageLease } from './lease'

function tabs() {
  const p = createFakePlatform()
  const lease = (owner: string) => storageLease(p.storage, owner, 30_000, p.now)
  return { p, a: lease('a'), b: lease('b') }
}

it('lets one tab in at a time', async () => {
  const { a, b } = tabs()
  let inside: boolean | undefined
  const ranA = await a('send', async () => {
    inside = await b('send', async () => {})
  })
  expect([ranA, inside]).toEqual([true, false])
  expect(await b('send', async () => {})).toBe(true)
})

it('lapses on its own when the holder died mid-send', async () => {
  const { p, a, b } = tabs()
  void a('send', () => new Promise(() => {}))
  expect(await b('send', async () => {})).toBe(false)
  await p.advance(30_000)
  expect(await b('send', async () => {})).toBe(true)
})

it('still runs when storage cannot coordinate anything', async () => {
  const { p, a } = tabs()
  p.failStorage = true
  expect(await a('send', async () => {})).toBe(true)
})

it('a holder that died just before the device clock was set back an hour holds the others back for no longer than a lease lasts', async () => {
  const clock = { now: Date.parse('2026-03-02T10:00:00Z') }
  const p = createFakePlatform({ clock })
  const [a, b] = ['a', 'b'].map((owner) => storageLease(p.storage, owner, 30_000, p.now))
  void a('send', () => new Promise(() => {}))
  // The clock is set right (it was an hour ahead): the lease ends, as written, an hour from now.
  clock.now -= 3_600_000
  await p.advance(30_000)
  expect(await b('send', async () => {})).toBe(true)
})
