import { expect, it, vi } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'

// The progress-sync code is asked for and never comes (a request stalled on a poor network).
vi.mock('./sync/state-sync', () => new Promise(() => {}))

it('a verified user who signs in while the sync code never arrives waits 1.5 s for it, not for ever', async () => {
  const p = createFakePlatform()
  const whatsNew = { version: 1, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.' }] }
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: whatsNew }, { platform: p })
  await linger.ready
  const modal = () => linger.experiences.announcements!.$modal.get()?.id ?? null
  linger.experiences.announcements!.dismiss('v3')
  linger.identify('ana', {}, { userHash: 'h' })
  await p.advance(1400)
  expect(modal()).toBeNull()
  expect(linger.why('v3').reasons).toContain('syncing')
  await p.advance(200)
  expect(linger.why('v3').reasons).not.toContain('syncing')
  expect(modal()).toBe('v3')
})
