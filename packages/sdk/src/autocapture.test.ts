// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { watchFeatureClicks } from './autocapture'

let off: (() => void) | undefined
afterEach(() => {
  off?.()
  document.body.innerHTML = ''
})
function watch() {
  const used: string[] = []
  off = watchFeatureClicks(document, (feature) => used.push(feature))
  return used
}
const click = (selector: string) => (document.querySelector(selector) as HTMLElement).click()
const nextTask = () => new Promise((r) => setTimeout(r))

describe('clicks on marked elements are feature uses', () => {
  it('a click inside a marked element counts, the text in it is never read', () => {
    const used = watch()
    document.body.innerHTML = '<button data-linger-feature=" export-csv "><span>Export secret-text</span></button><p>elsewhere</p>'
    click('span')
    click('p')
    expect(used).toEqual(['export-csv'])
  })

  it('a click inside a marked web component (its button in an open shadow root) counts', () => {
    const used = watch()
    const host = document.createElement('sl-button')
    host.setAttribute('data-linger-feature', 'export-report')
    document.body.append(host)
    const button = document.createElement('button')
    host.attachShadow({ mode: 'open' }).append(button)
    button.click()
    expect(used).toEqual(['export-report'])
  })

  it('a click on a marked label that wraps a checkbox is one use (the browser forwards a second click to the checkbox), each time', async () => {
    const used = watch()
    document.body.innerHTML = '<label data-linger-feature="dark-mode"><input type="checkbox"> <span>Dark mode</span></label>'
    click('span')
    expect((document.querySelector('input') as HTMLInputElement).checked).toBe(true)
    expect(used).toEqual(['dark-mode'])
    await nextTask()
    click('span')
    await nextTask()
    // On the checkbox itself: one click, one use.
    click('input')
    expect(used).toEqual(['dark-mode', 'dark-mode', 'dark-mode'])
  })

  it('a marked label around a control marked for a feature of its own counts both', () => {
    const used = watch()
    document.body.innerHTML = '<label data-linger-feature="settings-row"><input type="checkbox" data-linger-feature="dark-mode"> <span>Dark mode</span></label>'
    click('span')
    expect(used).toEqual(['settings-row', 'dark-mode'])
  })
})
