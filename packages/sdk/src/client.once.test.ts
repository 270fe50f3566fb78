import { describe, expect, it, vi } from 'vitest'
import { createLinger, type Linger } from './client'
import type { LingerError, LingerEvent } from './events'
import { createFakePlatform, type FakePlatform } from './fake-platform'
// The start chunk, loaded ahead (client.test.ts says why).
import './config/boot'

const options = { key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 }, flushIntervalMs: 1000 }
const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])
const seen = (p: FakePlatform) => sent(p).map((e) => e.type + ':' + (e.event ?? ''))
const errorsOf = (linger: Linger) => {
  const errors: LingerError[] = []
  linger.on('error', (e) => errors.push(e))
  return errors
}

describe('one client per page for a key and endpoint (a hot reload, a double mount)', () => {
  it('createLinger called again while the first client runs sends each page view and event once, and says why', async () => {
    const p = createFakePlatform()
    const first = createLinger(options, { platform: p })
    // vite re-ran the module (or React mounted twice) without destroying the first.
    const second = createLinger(options, { platform: p })
    const errors = errorsOf(second)
    second.track('Report Exported')
    first.track('Project Created')
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:', 'track:Report Exported', 'track:Project Created'])
    expect(errors).toEqual([expect.objectContaining({ code: 'invalid-call', message: expect.stringContaining('createLinger again for a running key: that client is returned') })])
  })

  it('once the first is destroyed (vite’s dispose, an unmount), a new client starts and sends its own page view, once', async () => {
    const p = createFakePlatform()
    const first = createLinger(options, { platform: p })
    await p.advance(5000)
    first.destroy()
    const second = createLinger(options, { platform: p })
    const errors = errorsOf(second)
    second.track('Report Exported')
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:', 'page:', 'track:Report Exported'])
    expect(errors).toEqual([])
    expect(second.why('anything').reasons).not.toContain('destroyed')
  })

  it('two components that each created it: one unmounting (its destroy()) leaves the other sending; the last one stops it', async () => {
    const p = createFakePlatform()
    const sidebar = createLinger(options, { platform: p })
    const editor = createLinger(options, { platform: p })
    await p.advance(5000)
    editor.destroy()
    sidebar.track('Report Exported')
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:', 'track:Report Exported'])
    expect(sidebar.why('anything').reasons).not.toContain('destroyed')
    sidebar.destroy()
    sidebar.track('After Both Left')
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:', 'track:Report Exported'])
    expect(sidebar.why('anything').reasons).toEqual(['destroyed'])
  })

  it('a client the app creates again as the first one stops (its destroy listener: a sign-out that starts over) is a running one: its page view and events are sent', async () => {
    const p = createFakePlatform()
    const first = createLinger(options, { platform: p })
    await p.advance(5000)
    let again: Linger | undefined
    first.on('destroy', () => (again = createLinger(options, { platform: p })))
    first.destroy()
    again!.track('Signed In')
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:', 'page:', 'track:Signed In'])
    expect(again!.why('anything').reasons).not.toContain('destroyed')
  })

  it('the same collector spelt another way (a trailing slash, capitals, its :443, its /v1/batch) is the same client: one landing page view', async () => {
    const p = createFakePlatform()
    createLinger(options, { platform: p })
    createLinger({ ...options, endpoint: 'https://collect.example.com/' }, { platform: p })
    createLinger({ ...options, endpoint: 'HTTPS://Collect.Example.com:443/v1/batch' }, { platform: p })
    await p.advance(5000)
    expect(seen(p)).toEqual(['page:'])
  })

  it('the developer sees the second createLinger in the console even without debug, and its handlers are the ones called', async () => {
    const p = createFakePlatform()
    createLinger(options, { platform: p })
    // The hot-reloaded module's own cancel handler.
    const onCancel = vi.fn()
    const again = createLinger({ ...options, handlers: { onCancel } }, { platform: p })
    expect(p.logs).toEqual([['warn', expect.stringContaining('createLinger again for a running key')]])
    createLinger(options, { platform: p })
    expect(p.logs).toHaveLength(2)
    await again.ready
    again.cancel()
    expect(onCancel).toHaveBeenCalledWith(null)
  })

  it('the script-tag runtime on a page whose app created the client for the same key still mounts its widgets, once the experiences run', async () => {
    const p = createFakePlatform()
    const surveys = [{ id: 'ease', kind: 'ces', question: 'Was exporting easy?', trigger: { event: 'Report Exported' } }]
    const app = createLinger({ ...options, flows: { version: 1, surveys } }, { platform: p })
    await app.ready
    const onExperiences = vi.fn()
    const runtime = createLinger({ ...options, flows: { version: 1, surveys } }, { platform: p, onExperiences })
    expect(runtime).toBe(app)
    await p.advance(0)
    expect(onExperiences).toHaveBeenCalledTimes(1)
    expect(onExperiences).toHaveBeenCalledWith(app)
  })

  it('another key (a second product on the page) or another endpoint is another client', async () => {
    const p = createFakePlatform()
    createLinger(options, { platform: p })
    createLinger({ ...options, key: 'pk_other' }, { platform: p })
    createLinger({ ...options, endpoint: 'https://eu.collect.example.com' }, { platform: p })
    await p.advance(5000)
    expect(p.requests.map((r) => `${r.url} ${r.body.writeKey}`).sort()).toEqual([
      'https://collect.example.com/v1/batch pk_other',
      'https://collect.example.com/v1/batch pk_test',
      'https://eu.collect.example.com/v1/batch pk_test',
    ])
  })
})
