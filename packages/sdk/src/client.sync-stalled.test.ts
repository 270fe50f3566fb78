import { expect, it, vi } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'

// The progress-sync code is asked for and never comes (a request stalled on a poor network).
vi.mock('./sync/state-sync', () => new Promise(() => {}))

it('a verified user who signs in while the sync code never arrives waits 1.5 s for it, not for ever', async () => {
  const p = createFakePlatform()
  // For customers only: the visitor does not see it.
  const whatsNew = { version: 1, announcements: [{ id: 'v3', format: 'modal', title: 'Acme 3.0', body: 'A faster editor.', audience: { trait: 'plan', exists: true } }] }
  const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: whatsNew }, { platform: p })
  await linger.ready
  const modal = () => linger.experiences.announcements!.$modal.get()?.id ?? null
  expect(modal()).toBeNull()
  linger.identify('ana', { plan: 'pro' }, { userHash: 'h' })
  await p.advance(1400)
  expect(modal()).toBeNull()
  expect(linger.why('v3').reasons).toContain('syncing')
  await p.advance(200)
  expect(linger.why('v3').reasons).not.toContain('syncing')
  expect(modal()).toBe('v3')
})
