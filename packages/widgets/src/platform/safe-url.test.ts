import { describe, expect, it, vi } from 'vitest'
import { safeHref } from './safe-url'

describe('safeHref', () => {
  const base = 'https://app.example.com/dashboard'
  it('keeps http(s) and relative links', () => {
    expect(['https://x.io/a', 'http://x.io', '#/projects/new', '/settings', 'help'].map((u) => safeHref(u, base))).toEqual(['https://x.io/a', 'http://x.io', '#/projects/new', '/settings', 'help'])
  })
  it('drops script, data and other schemes, however they are spelled', () => {
    expect(['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>', 'vbscript:x', 'mailto:a@b.c', '', 42].map((u) => safeHref(u, base))).toEqual(Array(8).fill(undefined))
  })
  it("keeps a relative link in an app whose pages are not served over http (a hybrid app's capacitor:// or file:// shell, a srcdoc frame), and still drops scripts there", () => {
    const links = ['/settings', '#/projects/new', 'help', '//docs.example.com/start']
    try {
      for (const page of ['capacitor://localhost/index.html', 'file:///C:/App/index.html', 'about:srcdoc']) {
        // The page the widgets run in, as the views call safeHref: with no base.
        vi.stubGlobal('location', { href: page })
        expect(links.map((u) => safeHref(u)), page).toEqual(links)
        expect(['javascript:alert(1)', 'data:text/html,x'].map((u) => safeHref(u)), page).toEqual([undefined, undefined])
      }
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
