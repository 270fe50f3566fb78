// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('review probes: the snippet stub', () => {
  it('a reference to window.linger kept by the host before the runtime loaded still works after it loaded', async () => {
    new Function(readFileSync(__dirname + '/snippet.js', 'utf8'))()
    // The host's module kept the stub, as `const linger = window.linger` at its top does.
    const saved = (window as unknown as { linger: (...a: unknown[]) => unknown }).linger
    saved('init', { key: 'pk_test', flows: { version: 1 } })
    await import('../../../widgets/src/cdn')
    const heard: unknown[] = []
    ;(window as unknown as { linger: (...a: unknown[]) => unknown }).linger('on', 'report:exported', (p: unknown) => heard.push(p))
    ;(window as unknown as { linger: (...a: unknown[]) => unknown }).linger('track', 'Report Exported', { via: 'window.linger' })
    saved('track', 'Report Exported', { via: 'saved stub' })
    expect(heard).toEqual([{ via: 'window.linger' }, { via: 'saved stub' }])
  })
})
