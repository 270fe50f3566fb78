// @vitest-environment jsdom
import { atom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import type { Linger } from '@linger/sdk'
import { buildPlatform } from './create-context'
import { messages as en } from './messages/en'

describe('preparing a widget at idle', () => {
  it('lays out every emoji and non-Latin character the flows could show, off screen, so the first render does not hunt for fonts', async () => {
    const flows = atom({
      version: 1,
      badges: [{ id: 'first', title: 'Première tâche', icon: '🏁', rule: { event: 'Task Created' } }],
      surveys: [{ id: 'ease', kind: 'ces', question: '使いやすいですか', trigger: { event: 'Report Exported' } }],
    })
    const linger = { host: { options: {}, flows, reportError: () => {} } } as unknown as Linger
    const platform = buildPlatform(linger, { locale: 'fr' }, en, en)
    const laidOut: string[] = []
    const observer = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => laidOut.push((n as Element).shadowRoot?.textContent ?? ''))))
    observer.observe(document.body, { childList: true })

    platform.prepare('.toast{color:red}')
    await new Promise((r) => setTimeout(r))
    observer.disconnect()

    expect(laidOut).toHaveLength(1)
    for (const character of ['🏁', 'è', 'â', '使', 'す']) expect(laidOut[0]).toContain(character)
    // Built and removed in the same task: nothing is left on the page.
    expect(document.querySelector('[data-linger]')).toBeNull()
    platform.dispose()
  })
})
