// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { renderView } from './boundary'
import { createTestContext, type TestContext } from './test-context'

let ctx: TestContext | undefined
afterEach(() => ctx?.cleanup())

describe('a widget whose handler throws', () => {
  it('reports the throw for its widget, and the host page never sees it', () => {
    ctx = createTestContext()
    const { root } = ctx.surface('test', '')
    const boom = new Error('state from another device had no read list')
    const seenByPage: unknown[] = []
    const onPageError = (e: ErrorEvent) => seenByPage.push(e.error)
    window.addEventListener('error', onPageError)
    // A handler written without guard(), as a view might: Escape on a dialog.
    renderView(ctx, 'announcements', <div role="dialog" tabIndex={-1} onKeyDown={() => { throw boom }}>What's new</div>, root)
    const dialog = root.querySelector('[role=dialog]')!
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    window.removeEventListener('error', onPageError)
    expect(seenByPage).toEqual([])
    expect(ctx.failures).toEqual([['announcements', boom]])
  })

  it('still runs handlers that do not throw, with their event', () => {
    ctx = createTestContext()
    const { root } = ctx.surface('test', '')
    const keys: string[] = []
    renderView(ctx, 'checklist', <button type="button" onKeyDown={(e) => keys.push(e.key)}>Open</button>, root)
    root.querySelector('button')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    expect(keys).toEqual(['Enter'])
    expect(ctx.failures).toEqual([])
  })
})

describe("the host app's own Preact tree, when it shares Linger's Preact (the npm build)", () => {
  it('keeps its handler errors: Linger does not swallow what is not its own', async () => {
    const { render } = await import('preact')
    const el = document.body.appendChild(document.createElement('div'))
    const boom = new Error('the host app’s bug')
    const seenByPage: unknown[] = []
    const onPageError = (e: ErrorEvent) => (seenByPage.push(e.error), e.preventDefault())
    window.addEventListener('error', onPageError)
    render(<button type="button" onClick={() => { throw boom }}>Save</button>, el)
    el.querySelector('button')!.click()
    window.removeEventListener('error', onPageError)
    render(null, el)
    el.remove()
    expect(seenByPage).toEqual([boom])
  })
})
