import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
// Loaded ahead, as a page that already synced has it, and the start chunk (client.test.ts says why).
import './sync/state-sync'
import './config/boot'

function start(p: FakePlatform = createFakePlatform()) {
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p })
  const errors: string[] = []
  linger.on('error', (e) => errors.push(e.message))
  return { p, linger, errors }
}
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])

describe('group() with the groupHash the vendor computed on their server', () => {
  it("a signed-in user whose account the vendor vouched for sends the groupHash with the group call and every later event", async () => {
    const { p, linger } = start()
    linger.identify('ann', {}, { userHash: 'uh' })
    linger.group('acme', { name: 'Acme' }, { groupHash: 'gh' })
    linger.track('Report Exported')
    await p.advance(2000)
    const groupCall = sent(p).find((e) => e.type === 'group')
    const later = sent(p).find((e) => e.event === 'Report Exported')
    expect(groupCall).toMatchObject({ type: 'group', groupId: 'acme', traits: { name: 'Acme' }, context: { userHash: 'uh', groupId: 'acme', groupHash: 'gh' } })
    expect(later).toMatchObject({ event: 'Report Exported', context: { userHash: 'uh', groupId: 'acme', groupHash: 'gh' } })
  })

  it('a snippet call passes the groupHash too, and the next page load still has it', async () => {
    const p = createFakePlatform()
    const first = start(p)
    first.linger.call('identify', ['ann', {}, { userHash: 'uh' }])
    first.linger.call('group', ['acme', {}, { groupHash: 'gh' }])
    await p.advance(2000)
    expect(sent(p).find((e) => e.type === 'group')).toMatchObject({ context: { groupHash: 'gh' } })
    first.linger.destroy()
    const again = start(p)
    again.linger.track('Back')
    await p.advance(2000)
    expect(sent(p).at(-1)).toMatchObject({ event: 'Back', context: { groupId: 'acme', groupHash: 'gh' } })
  })

  it("switching to an account without a groupHash does not carry the last one's groupHash; another user signing in leaves the account", async () => {
    const { p, linger } = start()
    linger.identify('ann', {}, { userHash: 'uh' })
    linger.group('acme', {}, { groupHash: 'gh' })
    linger.group('globex')
    linger.track('In Globex')
    linger.group('acme', {}, { groupHash: 'gh' })
    linger.identify('bob', {}, { userHash: 'uh-bob' })
    linger.track('As Bob')
    await p.advance(2000)
    const byName = Object.fromEntries(sent(p).filter((e) => e.event).map((e) => [e.event, e.context]))
    expect(byName['In Globex']).toMatchObject({ groupId: 'globex' })
    expect(byName['In Globex']).not.toHaveProperty('groupHash')
    // Ann's account is not Bob's until the app says so with group(): his events name none.
    expect(byName['As Bob']).toMatchObject({ userHash: 'uh-bob' })
    expect(byName['As Bob']).not.toHaveProperty('groupId')
    expect(byName['As Bob']).not.toHaveProperty('groupHash')
  })

  it('refuses a group id longer than the collector takes, and reports a groupHash that is not a string', async () => {
    const { p, linger, errors } = start()
    linger.identify('ann')
    linger.group('g'.repeat(201))
    linger.group('acme', {}, { groupHash: 42 as unknown as string })
    await p.advance(2000)
    expect(errors).toEqual([
      'group needs a group id (a non-empty string of at most 200 characters), got "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg…" (201 characters)',
      'group needs a groupHash that is a string (hex), got number',
    ])
    // The long id is not sent; the other group call is, vouched for by nothing.
    const groups = sent(p).filter((e) => e.type === 'group')
    expect(groups.map((e) => e.groupId)).toEqual(['acme'])
    expect(groups[0]!.context).not.toHaveProperty('groupHash')
  })
})
