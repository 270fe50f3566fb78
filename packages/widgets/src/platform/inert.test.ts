// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { inertOutside } from './inert'

afterEach(() => document.body.replaceChildren())

const inertIds = () => [...document.querySelectorAll('[inert]')].map((el) => el.id)

describe('a Linger modal leaves the rest of the page out of reach', () => {
  it("the vendor's app lives in a web component and mounts Linger inside its shadow root: the page around the component is inert too, and comes back as it was", () => {
    document.body.innerHTML = '<nav id="nav"><a href="/">Home</a></nav><app-shell id="shell"></app-shell><aside id="chat" inert></aside>'
    const shell = document.getElementById('shell')!
    const root = shell.attachShadow({ mode: 'open' })
    root.innerHTML = '<header id="toolbar"><button>Save</button></header><div id="mount"></div>'
    const modal = document.createElement('linger-cancel')
    root.getElementById('mount')!.append(modal)
    const shadowInert = () => [...root.querySelectorAll('[inert]')].map((el) => el.id)

    const restore = inertOutside(modal)
    // The app's own toolbar beside the mount point, and the page's navigation outside the component.
    expect(shadowInert()).toEqual(['toolbar'])
    expect(inertIds()).toEqual(['nav', 'chat'])

    restore()
    expect(shadowInert()).toEqual([])
    // What the page had made inert itself stays so.
    expect(inertIds()).toEqual(['chat'])
  })

  it('a modal on the body: everything else on the body is inert, the shared live region is not', () => {
    document.body.innerHTML = '<main id="app"></main><linger-live id="live" data-linger="live"></linger-live>'
    const modal = document.body.appendChild(document.createElement('linger-cancel'))
    const restore = inertOutside(modal)
    expect(inertIds()).toEqual(['app'])
    restore()
    expect(inertIds()).toEqual([])
  })
})
