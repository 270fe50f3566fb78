// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { watchFeatureClicks } from './autocapture'

let off: (() => void) | undefined
afterEach(() => {
  off?.()
  document.body.innerHTML = ''
})

describe('review probes: autocapture', () => {
  it('counts a click inside a marked web component (open shadow root), e.g. <sl-button data-linger-feature>', () => {
    const seen: string[] = []
    off = watchFeatureClicks(document, (f) => seen.push(f))
    const host = document.createElement('div')
    host.setAttribute('data-linger-feature', 'export-report')
    document.body.append(host)
    const root = host.attachShadow({ mode: 'open' })
    const button = document.createElement('button')
    button.textContent = 'Export'
    root.append(button)
    button.click()
    expect(seen).toEqual(['export-report'])
  })

  it('counts one use when the user clicks a marked label that wraps a checkbox (the browser forwards a second click to the input)', () => {
    const seen: string[] = []
    off = watchFeatureClicks(document, (f) => seen.push(f))
    document.body.innerHTML = '<label data-linger-feature="dark-mode"><input type="checkbox"> <span>Dark mode</span></label>'
    ;(document.querySelector('span') as HTMLElement).click()
    expect((document.querySelector('input') as HTMLInputElement).checked).toBe(true)
    expect(seen).toEqual(['dark-mode'])
  })
})
