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
