// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

// The runtime as the source has it, not as the last build left it.
vi.mock('@linger/sdk', () => import('../../sdk/src/index'))

type Stub = ((...a: unknown[]) => unknown) & Record<string, (...a: unknown[]) => unknown>
const linger = () => (window as unknown as { linger: Stub }).linger

describe('the script-tag runtime', () => {
  it('a host that kept the snippet\'s window.linger (`const linger = window.linger` at its top) is still heard after the runtime loaded', async () => {
    new Function(readFileSync(join(__dirname, '../../sdk/src/snippet/snippet.js'), 'utf8'))()
    const kept = linger()
    kept('init', { key: 'pk_test', flows: { version: 1 } })
    await import('./cdn')
    const heard: unknown[] = []
    linger()('on', 'report:exported', (p: unknown) => heard.push(p))
    linger()('track', 'Report Exported', { via: 'window.linger' })
    kept('track', 'Report Exported', { via: 'kept stub' })
    kept.track('Report Exported', { via: 'kept stub method' })
    expect(heard).toEqual([{ via: 'window.linger' }, { via: 'kept stub' }, { via: 'kept stub method' }])
  })
})
