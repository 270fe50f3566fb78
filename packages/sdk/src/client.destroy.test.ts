import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'
// The start chunk and the engine, loaded ahead (client.test.ts says why).
import './config/boot'

const flows = {
  version: 1,
  tours: [{ id: 'export-tour', trigger: { event: 'Dashboard Viewed' }, steps: [{ id: 'one', target: '#export', title: 'Export', body: 'In one click.' }] }],
}

describe('destroy() (a component that unmounts)', () => {
  it("a host's own listener on an experience's store that throws as the experience closes neither throws into the page nor leaves the client sending", async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, flushIntervalMs: 1000 }, { platform: p })
    await linger.ready
    await p.advance(2000)
    // A vendor's own tour UI that reads the first run without looking (a bug of theirs).
    linger.experiences.tours!.$runs.listen((runs) => runs[0].tour.id)
    expect(() => linger.destroy()).not.toThrow()
    const before = p.requests.length
    linger.track('After Unmount')
    await p.advance(10_000)
    expect(p.requests.length).toBe(before)
  })

  it("a survey waiting out its delay when the app unmounts does not open afterwards, though a host listener threw as the tour before it stopped", async () => {
    const p = createFakePlatform()
    const both = { ...flows, surveys: [{ id: 'csat-export', kind: 'csat', question: 'How was exporting?', trigger: { event: 'Report Exported' }, delayMs: 5000 }] }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: both, flushIntervalMs: 1000 }, { platform: p })
    await linger.ready
    await p.advance(2000)
    linger.experiences.tours!.$runs.listen((runs) => runs[0].tour.id)
    linger.track('Report Exported')
    linger.destroy()
    await p.advance(10_000)
    // Gone with the app: nothing opens in a page whose component unmounted.
    expect(linger.experiences.surveys!.$session.get()).toBeNull()
  })
})

describe('destroy() during an outage', () => {
  it('the vendor still hears how many events the full queue dropped just before the app unmounted Linger', async () => {
    const p = createFakePlatform()
    p.respond = () => 'network-error'
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows, maxQueue: 5 }, { platform: p })
    const dropped: number[] = []
    linger.on('error', (e) => e.code == 'dropped' && dropped.push((e.details as { count: number }).count))
    await linger.ready
    for (let i = 0; i < 20; i++) linger.track('Report Exported', { i })
    linger.destroy()
    await p.advance(5000)
    // The landing page view and twenty tracks: five kept, and each of the sixteen others counted.
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(16)
  })
})

describe('after destroy() (the app unmounted Linger)', () => {
  const checklist = {
    version: 1,
    checklists: [{ id: 'getting-started', title: 'Get started', tasks: [{ id: 'create-project', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }],
  }

  it('show() opens nothing and says false, and why() says it is stopped, not "eligible"', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: checklist }, { platform: p })
    await linger.ready
    expect(linger.why('getting-started')).toMatchObject({ show: true, reasons: ['eligible'] })
    linger.destroy()
    expect(linger.show('getting-started')).toBe(false)
    // Nothing opened: the panel a vendor's own UI (or the widgets) would render is not asked for.
    expect(linger.experiences.checklists!.$opened.get()).toBeNull()
    expect(linger.why('getting-started')).toEqual({ id: 'getting-started', show: false, reasons: ['destroyed'] })
  })

  it('destroyed while starting: show() says false and why() says it is stopped, not "loading"', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: checklist }, { platform: p })
    linger.destroy()
    await linger.ready
    expect(linger.show('getting-started')).toBe(false)
    expect(linger.why('getting-started')).toEqual({ id: 'getting-started', show: false, reasons: ['destroyed'] })
  })
})
