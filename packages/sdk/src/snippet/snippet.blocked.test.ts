import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { QueuedCall } from './replay'

type Stub = ((...a: unknown[]) => unknown) & Record<string, (...a: unknown[]) => unknown> & { q: QueuedCall[] }
type Script = { onload?: () => void; onerror?: () => void }

/** The vendor's page: the snippet as pasted, run against a stand-in window and document (as replay.test.ts does). */
function pasteSnippet() {
  const w: { linger?: Stub } = {}
  const scripts: Script[] = []
  const doc = { title: 'Projects', currentScript: null, createElement: () => ({}), head: { appendChild: (s: Script) => scripts.push(s) } }
  const code = readFileSync(new URL('./snippet.js', import.meta.url), 'utf8')
  new Function('window', 'document', 'location', code)(w, doc, { href: 'https://app.example.com/projects' })
  return { w, linger: w.linger!, runtimeScript: scripts[0] }
}

describe('the snippet on a page whose runtime never loads (an ad blocker)', () => {
  it('a long-lived app does not keep every call it makes, with its properties, in memory for the life of the page: at most 1,000, init first', () => {
    const { linger, runtimeScript } = pasteSnippet()
    linger('init', { key: 'pk_test' })
    runtimeScript.onerror!()
    // A single-page app open all day, tracking as its user works; each call holds its objects.
    for (let i = 0; i < 5000; i++) linger.track('Task Moved', { board: { id: 'b1', columns: [] }, i })
    expect(linger.q).toHaveLength(1000)
    expect(linger.q[0][0]).toEqual(['init', { key: 'pk_test' }])
  })
})
