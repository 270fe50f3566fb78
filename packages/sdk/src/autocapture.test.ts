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

  it('a marked upload control whose button opens its hidden file input (input.click() in the button\'s handler) is one use per click', () => {
    const used = watch()
    document.body.innerHTML = '<div data-linger-feature="upload"><button>Upload</button><input type="file" hidden></div>'
    const input = document.querySelector('input')!
    let opened = 0
    input.addEventListener('click', (e) => (e.preventDefault(), opened++))
    document.querySelector('button')!.addEventListener('click', () => input.click())
    click('button')
    click('button')
    expect(opened).toBe(2)
    expect(used).toEqual(['upload', 'upload'])
  })

  it('a marked label around a control marked for a feature of its own counts both', () => {
    const used = watch()
    document.body.innerHTML = '<label data-linger-feature="settings-row"><input type="checkbox" data-linger-feature="dark-mode"> <span>Dark mode</span></label>'
    click('span')
    expect(used).toEqual(['settings-row', 'dark-mode'])
  })

  it('a click on a disabled control (disabled, in a disabled fieldset, or aria-disabled) is no use of its feature', () => {
    const used = watch()
    document.body.innerHTML =
      '<button disabled data-linger-feature="export"><span id="a">Export</span></button>' +
      '<fieldset disabled><button data-linger-feature="save"><span id="b">Save</span></button></fieldset>' +
      '<div role="button" aria-disabled="true" data-linger-feature="share"><span id="c">Share</span></div>' +
      '<button data-linger-feature="invite"><span id="d">Invite</span></button>'
    for (const id of ['a', 'b', 'c', 'd']) document.getElementById(id)!.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }))
    expect(used).toEqual(['invite'])
  })

  it('a double click on a marked element is one use; the next click after it is another', () => {
    const used = watch()
    document.body.innerHTML = '<div data-linger-feature="open-file"><span>report.pdf</span></div>'
    const span = document.querySelector('span')!
    for (const detail of [1, 2, 1]) span.dispatchEvent(new MouseEvent('click', { bubbles: true, detail }))
    expect(used).toEqual(['open-file', 'open-file'])
  })

  it('dragging to select text in a marked card is no use of it; a click with a selection elsewhere still is', () => {
    const used = watch()
    document.body.innerHTML = '<div data-linger-feature="card"><p id="t">Quarterly revenue grew</p><button id="b">Copy</button></div><p id="far">elsewhere</p>'
    const text = document.getElementById('t')!.firstChild!
    const select = (node: Node) => getSelection()!.setBaseAndExtent(node, 0, node, 5)
    // mousedown in the text, drag, mouseup in it: the click lands on the paragraph.
    select(text)
    document.getElementById('t')!.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }))
    expect(used).toEqual([])
    // Text selected in the card, then its Copy button pressed: a use.
    document.getElementById('b')!.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }))
    expect(used).toEqual(['card'])
    getSelection()!.removeAllRanges()
  })

  it('a middle click that opens a marked link in a new tab is a use; a middle click elsewhere is not', () => {
    const used = watch()
    document.body.innerHTML = '<a href="/reports/42" data-linger-feature="open-report"><span>Q3</span></a><div data-linger-feature="board"><span id="s">x</span></div>'
    document.querySelector('a span')!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, button: 1, detail: 1 }))
    document.getElementById('s')!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, button: 1, detail: 1 }))
    document.querySelector('a span')!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, button: 2, detail: 1 }))
    expect(used).toEqual(['open-report'])
  })
})
