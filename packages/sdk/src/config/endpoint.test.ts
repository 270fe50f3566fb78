import { describe, expect, it } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import type { LingerError, LingerEvent } from '../events'
// The start chunk, loaded ahead as a page has it a few ms after start (its import() then settles
// within the fake clock's turns).
import './boot'
import { validateInitOptions } from './init-options'
import { startOptions } from '../start-options'
// Loaded ahead too, as on a page that synced before.
import '../sync/state-sync'

const sent = (p: FakePlatform): Array<{ url: string; events: string[] }> =>
  p.requests.map((r) => ({ url: r.url, events: (r.body?.batch ?? []).map((e: LingerEvent) => e.event ?? e.type) }))

// The fake page is https://app.example.com/dashboard.
describe('where events go when the vendor gives no collector URL', () => {
  it('a vendor who leaves out `endpoint` (README: "default: the page\'s own origin, POST /v1/batch") gets their events there', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_demo', flows: { version: 1 } }, { platform: p })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(sent(p)).toEqual([{ url: 'https://app.example.com/v1/batch', events: ['page', 'Report Exported'] }])
  })

  it('a verified user\'s progress syncs with the same collector, the page\'s own origin', async () => {
    const p = createFakePlatform()
    p.respond = () => ({ status: 200, body: '{}' })
    const linger = createLinger({ key: 'pk_demo', flows: { version: 1, checklists: [{ id: 'start', title: 'Start', tasks: [{ id: 'a', title: 'A', doneWhen: { event: 'A' } }] }] } }, { platform: p })
    await linger.ready
    linger.identify('u_7', {}, { userHash: 'ab12' })
    await p.advance(500)
    expect(p.requests.map((r) => r.url)).toContain('https://app.example.com/v1/state')
  })

  it('a typo in `endpoint` (no scheme) is reported with where events go instead, and they do go there: not lost', async () => {
    const p = createFakePlatform()
    const errors: LingerError[] = []
    const linger = createLinger({ key: 'pk_demo', endpoint: 'collect.example.com', flows: { version: 1 } }, { platform: p })
    linger.on('error', (e: LingerError) => errors.push(e))
    linger.track('Report Exported')
    await p.advance(2000)
    expect(errors.map((e) => e.message)).toEqual([
      `endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; using the default, this page's origin`,
    ])
    expect(sent(p)).toEqual([{ url: 'https://app.example.com/v1/batch', events: ['page', 'Report Exported'] }])
  })

  it("`endpoint: ''`, given on purpose (a staging page), still sends nothing", async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_demo', endpoint: '', flows: { version: 1 } }, { platform: p })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(sent(p)).toEqual([])
  })
})

describe('a vendor who mistyped `endpoint` hears of it without debug mode', () => {
  it('one console warning says where events go instead (as for a missing key: it must not fail silently)', async () => {
    const p = createFakePlatform()
    createLinger({ key: 'pk_demo', endpoint: 'collect.example.com', flows: { version: 1 } }, { platform: p })
    await p.advance(0)
    expect(p.logs.filter((l) => l[0] === 'warn').map((l) => String(l[1]))).toEqual([
      `endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; using the default, this page's origin`,
    ])
  })
})

// What the browser would take the URL for is not what the check refused: the warning must say
// where events really go, and they must go there.
describe('a vendor whose `endpoint` only looks like an http(s) URL', () => {
  it.each([
    ['a third slash', 'https:///collect.example.com'],
    ['no host, a query', 'https://?x'],
    ['a host no browser can parse', 'https://collect.example.com:8O8O'],
  ])('(%s: %s) is warned that events go to this page\'s origin, and they do go there', async (_, bad) => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_demo', endpoint: bad, flows: { version: 1 } }, { platform: p })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(p.logs.filter((l) => l[0] === 'warn').map((l) => String(l[1]))).toEqual([
      `endpoint: must be an absolute http(s) URL or '', got "${bad}"; using the default, this page's origin`,
    ])
    expect(sent(p)).toEqual([{ url: 'https://app.example.com/v1/batch', events: ['page', 'Report Exported'] }])
  })
})

it('what the full check warns about is exactly what the client does not send to', () => {
  const urls = ['https://collect.example.com', 'http://127.0.0.1:8787/', 'https://c.example.com/ingest?x=1', 'https:///collect.example.com', 'https://?x', 'https://#x', 'https://\\x', 'https://[x', 'https://x:8O', 'https:// x', 'https://x y', 'collect.example.com', '//collect.example.com', 'ftp://x']
  const sentTo = urls.filter((endpoint) => startOptions({ key: 'k', endpoint }).options.endpoint)
  const warned = urls.filter((endpoint) => validateInitOptions({ key: 'k', endpoint }).errors.length)
  expect(sentTo).toEqual(['https://collect.example.com', 'http://127.0.0.1:8787/', 'https://c.example.com/ingest?x=1'])
  expect(urls.filter((u) => !sentTo.includes(u))).toEqual(warned)
})

// The document's origin, as the browser sends it in Origin, not the one its URL spells.
const frame = (origin: string) =>
  ({
    origin,
    location: { href: 'https://app.example.com/dashboard' },
    document: { getElementById: () => null },
    history: { pushState() {}, replaceState() {} },
    setTimeout: () => 0,
    clearTimeout() {},
    addEventListener() {},
    removeEventListener() {},
  }) as unknown as Window

describe('a page whose document has no http(s) origin of its own', () => {
  it('a sandboxed frame (no allow-same-origin) sends nothing to its URL\'s origin, where every request is CORS-blocked and retried forever', async () => {
    const p = createFakePlatform()
    const linger = createLinger({ key: 'pk_demo', autocapture: false, flows: { version: 1 } }, { platform: p, window: frame('null') })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(sent(p)).toEqual([])
  })

  it('and with a mistyped `endpoint`, the warning says nothing is sent, not "this page\'s origin"', async () => {
    const p = createFakePlatform()
    createLinger({ key: 'pk_demo', endpoint: 'collect.example.com', autocapture: false, flows: { version: 1 } }, { platform: p, window: frame('null') })
    await p.advance(2000)
    expect(p.logs.filter((l) => l[0] === 'warn').map((l) => String(l[1]))).toEqual([
      `endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; nothing is sent: this page has no http(s) origin`,
    ])
    expect(sent(p)).toEqual([])
  })

  it('an about:blank or srcdoc frame has its parent\'s origin: its events go there, not nowhere', async () => {
    const p = createFakePlatform()
    p.setPage({ url: 'about:srcdoc', path: 'srcdoc' })
    const linger = createLinger({ key: 'pk_demo', autocapture: false, flows: { version: 1 } }, { platform: p, window: frame('https://app.example.com') })
    linger.track('Report Exported')
    await p.advance(2000)
    expect(sent(p)).toEqual([{ url: 'https://app.example.com/v1/batch', events: ['page', 'Report Exported'] }])
  })
})
