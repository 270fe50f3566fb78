// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform, type FakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
import { siteOf } from './snippet/replay'
import './config/boot'

const sent = (p: FakePlatform): LingerEvent[] => p.requests.flatMap((r) => r.body?.batch ?? [])

describe('review probes: page views', () => {
  it('a single-page app that navigated while the runtime loaded (router redirect / → /dashboard) gets a page view for where the user is', async () => {
    history.replaceState(null, '', '/')
    const landed = location.href
    // The snippet queued init on "/"; the app's router redirects before /linger/linger.js arrives.
    history.replaceState(null, '', '/dashboard')
    const p = createFakePlatform()
    p.setPage({ url: location.href, path: '/dashboard' })
    const site = siteOf([['init'], Date.now(), landed, 'Home'], '')
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', flows: { version: 1 } }, { platform: p, window, site })
    await p.advance(3000)
    const paths = sent(p).filter((e) => e.type === 'page').map((e) => e.context.page.path)
    linger.destroy()
    // The user never sees a page view for /dashboard (until they navigate again).
    expect(paths).toContain('/dashboard')
  })
})
