import { describe, expect, it, vi } from 'vitest'
import { createFakePlatform } from './fake-platform'
import { createLinger } from './client'
import './config/boot'
import './engine'
import './config/validate-flows'

const flows = { version: 1, checklists: [{ id: 'start', title: 'Get started', tasks: [{ id: 'export', title: 'Export a report', doneWhen: { event: 'Export Clicked' } }] }] }

describe('a sign-in heard while Linger starts, with holdForIdentify', () => {
  it("holdForIdentify, the app names ann as Linger starts, and a listener of the vendor's own on linger.host.user throws: ready still resolves, nothing rejects into the page", async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, holdForIdentify: 3000 } as never, { platform: p })
    const rejected = vi.fn()
    process.on('unhandledRejection', rejected)
    try {
      linger.identify('ann')
      // The vendor's own UI listens to the user (README: "For a UI of your own"); its listener has a bug.
      linger.host.user.listen(() => {
        throw new Error('vendor listener')
      })
      const ready = await Promise.race([linger.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))])
      await new Promise((r) => setTimeout(r, 50))
      expect([ready, rejected.mock.calls.length]).toEqual([true, 0])
    } finally {
      process.off('unhandledRejection', rejected)
      linger.destroy()
    }
  })
})
