// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createLinger } from './index'
import { mountWidgets } from '../../widgets/src/index'

// Next.js and Remix run a client component's module on the server too: the README's sample,
// createLinger at the top of a module, must not fail the render.
describe('an app rendered on the server (no window)', () => {
  it('gets a client that does nothing: no throw, nothing stored or sent, why() says there is no window', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const linger = createLinger({ key: 'pk_live', endpoint: 'https://collect.example.com', flows: '/flows.json' })
    linger.identify('u_42', { plan: 'pro' }, { userHash: 'abc' })
    linger.track('Report Exported', { format: 'csv' })
    linger.page()
    linger.group('acme')
    linger.reset()
    linger.optOut()
    linger.optIn()
    linger.cancel()
    const off = linger.on('survey:answered', () => {})
    off()
    expect(linger.show('welcome')).toBe(false)
    expect(linger.why('welcome')).toEqual({ id: 'welcome', show: false, reasons: ['no-window'] })
    expect(linger.call('why', ['welcome'])).toEqual({ id: 'welcome', show: false, reasons: ['no-window'] })
    await linger.flush()
    await linger.ready
    expect(linger.usage.get().firstSeen).toBeNull()
    expect(linger.experiences).toEqual({})
    linger.destroy()
    expect(fetchSpy).not.toHaveBeenCalled()
    fetchSpy.mockRestore()
  })

  it('a component that reads linger.host as the server renders it gets nobody and nothing, not a TypeError', () => {
    const linger = createLinger({ key: 'pk_live' })
    const { host } = linger
    expect(host.user.get().userId).toBeUndefined()
    expect(host.flows.get()).toEqual({})
    expect(host.usage.get().firstSeen).toBeNull()
    expect(host.options.locale).toBeUndefined()
    host.onTrack(() => {})()
    host.emit('Checklist Task Completed', { checklistId: 'start', taskId: 'invite' })
    expect(host.syncing?.()).toBe(false)
    linger.destroy()
  })

  it('mounts no widgets and unmounts without a throw', async () => {
    const linger = createLinger({ key: 'pk_live' })
    const unmount = mountWidgets(linger)
    await linger.ready
    unmount()
    linger.destroy()
  })
})
