// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { browserPlatform, safeStorage } from './platform-browser'

function throwingStorage(on: 'all' | 'set'): Storage {
  const map = new Map<string, string>()
  return {
    get length() {
      return map.size
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => {
      if (on === 'all') throw new DOMException('denied', 'SecurityError')
      return map.get(k) ?? null
    },
    setItem: (k: string, v: string) => {
      // The probe fits; real data does not.
      if (on === 'all' || v.length > 20) throw new DOMException('full', 'QuotaExceededError')
      map.set(k, v)
    },
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  }
}

describe('storage that fails never reaches the host page as an error', () => {
  it('uses localStorage when it works', () => {
    localStorage.clear()
    const s = safeStorage(() => localStorage)
    expect(s.set('a', '1')).toBe(true)
    expect(localStorage.getItem('a')).toBe('1')
    expect(s.get('a')).toBe('1')
    s.remove('a')
    expect(localStorage.getItem('a')).toBeNull()
  })

  it('falls back to memory when even touching localStorage throws (sandboxed iframe)', () => {
    const s = safeStorage(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    expect(s.set('a', '1')).toBe(false)
    expect(s.get('a')).toBe('1')
  })

  it('keeps a write that hit the quota in memory, and says it did not persist', () => {
    const s = safeStorage(() => throwingStorage('set'))
    const big = 'x'.repeat(100)
    expect(s.set('big', big)).toBe(false)
    expect(s.get('big')).toBe(big)
  })

  it('a write kept in memory gives way once another tab writes that key: storage is what the tabs share', () => {
    const backing = throwingStorage('set')
    const s = safeStorage(() => backing)
    const big = 'x'.repeat(100)
    s.set('k', big)
    expect(s.get('k')).toBe(big)
    // Another tab writes the key (a small value fits).
    backing.setItem('k', 'theirs')
    expect(s.get('k')).toBe('theirs')
  })

  it('a browser whose storage is full (the host app filled it) still reads what Linger kept there: the same visitor, their progress, their queued events', () => {
    const backing = throwingStorage('set')
    // Kept on an earlier page, before the app filled the quota.
    backing.setItem('linger:anon', 'a_1')
    const full = { ...backing, getItem: backing.getItem, key: backing.key, get length() { return backing.length }, setItem: () => { throw new DOMException('full', 'QuotaExceededError') } } as Storage
    const s = safeStorage(() => full)
    expect(s.get('linger:anon')).toBe('a_1')
    expect(s.keys('linger:')).toEqual(['linger:anon'])
  })

  it('starting writes nothing to storage: the app\'s other open tabs get no storage events from a page load', () => {
    localStorage.clear()
    sessionStorage.clear()
    const set = vi.spyOn(Storage.prototype, 'setItem')
    const remove = vi.spyOn(Storage.prototype, 'removeItem')
    try {
      const p = browserPlatform()
      expect(p.storage.get('linger:anon')).toBeNull()
      expect(p.session?.get('linger:anon') ?? null).toBeNull()
      expect(set).not.toHaveBeenCalled()
      expect(remove).not.toHaveBeenCalled()
    } finally {
      set.mockRestore()
      remove.mockRestore()
    }
  })

  it('survives a storage whose every call throws', () => {
    const s = safeStorage(() => throwingStorage('all'))
    expect(() => s.set('a', '1')).not.toThrow()
    expect(s.get('a')).toBe('1')
    expect(() => s.remove('a')).not.toThrow()
    expect(s.get('a')).toBeNull()
  })
})

describe('the cross-tab grant lock', () => {
  const withLocks = (request: (name: string, cb: () => unknown) => Promise<unknown>) => Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true })
  afterEach(() => void delete (navigator as { locks?: unknown }).locks)

  it('runs the grant once it holds the lock', async () => {
    withLocks(async (_name, cb) => cb())
    const fn = vi.fn()
    browserPlatform().exclusive!('linger:grant:u:1', fn)
    await new Promise((r) => setTimeout(r, 0))
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('still runs the grant where Web Locks are refused (an opaque-origin iframe), never waiting forever', async () => {
    withLocks(() => Promise.reject(new DOMException('denied', 'SecurityError')))
    const fn = vi.fn()
    browserPlatform().exclusive!('linger:grant:u:1', fn)
    await new Promise((r) => setTimeout(r, 0))
    expect(fn).toHaveBeenCalledTimes(1)
  })
})

describe('a page shown again', () => {
  it('is told so when it comes back from the back/forward cache, not on its first load', () => {
    const shown = vi.fn()
    const stop = browserPlatform().onShow!(shown)
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }))
    expect(shown).not.toHaveBeenCalled()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    expect(shown).toHaveBeenCalledTimes(1)
    stop()
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    expect(shown).toHaveBeenCalledTimes(1)
  })
})

describe('the network coming back', () => {
  it('is told when the browser goes back online, until it stops listening', () => {
    const back = vi.fn()
    const stop = browserPlatform().onOnline!(back)
    window.dispatchEvent(new Event('offline'))
    expect(back).not.toHaveBeenCalled()
    window.dispatchEvent(new Event('online'))
    expect(back).toHaveBeenCalledTimes(1)
    stop()
    window.dispatchEvent(new Event('online'))
    expect(back).toHaveBeenCalledTimes(1)
  })
})

describe('the page every event carries', () => {
  it('follows the URL and the title, read again only when one of them changed', () => {
    const platform = browserPlatform()
    document.title = 'Projects'
    history.replaceState(null, '', '/projects?tab=open#top')
    const first = platform.page()
    expect(first).toMatchObject({ path: '/projects', search: '?tab=open', hash: '#top', title: 'Projects' })
    expect(platform.page()).toBe(first)
    // An app that renames its tab without navigating (an unread count).
    document.title = '(3) Projects'
    expect(platform.page()).toMatchObject({ path: '/projects', title: '(3) Projects' })
    // A client-side navigation.
    history.pushState(null, '', '/settings')
    expect(platform.page()).toMatchObject({ path: '/settings', search: '', hash: '', title: '(3) Projects' })
  })

  it('gives the rules the URL as the address bar has it, at once after a route change, without reading the title', () => {
    const platform = browserPlatform()
    const title = vi.spyOn(document, 'title', 'get')
    history.pushState(null, '', '/boards/7?view=grid')
    expect(platform.url!()).toBe(location.origin + '/boards/7?view=grid')
    history.replaceState(null, '', '/boards/8')
    expect(platform.url!()).toBe(location.origin + '/boards/8')
    // A hash router's route, set without the History API: the same URL location.href gives.
    location.hash = '#/inbox'
    expect(platform.url!()).toBe(location.href)
    expect(title).not.toHaveBeenCalled()
    title.mockRestore()
    expect(platform.page().url).toBe(location.href)
  })
})

describe('a page without fetch', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('starts all the same; its requests fail (the events wait in the outbox) instead of the start-up throwing', async () => {
    vi.stubGlobal('fetch', undefined)
    const platform = browserPlatform()
    await expect(platform.request('https://collect.example.com/v1/batch', { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow('fetch is not available')
  })
})

describe('a page Chrome prerenders (speculation rules)', () => {
  afterEach(() => void delete (document as { prerendering?: boolean }).prerendering)

  it('says so, and calls back once the user is shown it (prerenderingchange)', () => {
    Object.defineProperty(document, 'prerendering', { value: true, configurable: true })
    const shown = vi.fn()
    expect(browserPlatform().prerendered!(shown)).toBe(true)
    expect(shown).not.toHaveBeenCalled()
    document.dispatchEvent(new Event('prerenderingchange'))
    expect(shown).toHaveBeenCalledTimes(1)
  })

  it('a page shown from the start (or a browser without prerendering) is not prerendered, and is never called back', () => {
    const shown = vi.fn()
    expect(browserPlatform().prerendered!(shown)).toBe(false)
    document.dispatchEvent(new Event('prerenderingchange'))
    expect(shown).not.toHaveBeenCalled()
  })
})
