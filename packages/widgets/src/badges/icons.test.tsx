// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/preact'
import { afterEach, describe, expect, it } from 'vitest'
import { Icon, ICONS } from './icons'

afterEach(cleanup)

describe('badge icons', () => {
  it('a built-in name draws an inline SVG: no emoji font needed, nothing fetched', () => {
    const { container } = render(<Icon icon="rocket" />)
    expect(container.querySelector('svg path')?.getAttribute('d')).toBe(ICONS.rocket)
    expect(container.textContent).toBe('')
  })

  it('an http(s) URL shows that image, decorative (the badge title names it)', () => {
    const { container } = render(<Icon icon="https://cdn.example.com/b.svg" />)
    const img = container.querySelector('img')!
    expect(img.getAttribute('src')).toBe('https://cdn.example.com/b.svg')
    expect(img.getAttribute('alt')).toBe('')
  })

  it('an emoji (or any other short text) still shows as text, never as markup', () => {
    expect(render(<Icon icon="🏅" />).container.textContent).toBe('🏅')
    const { container } = render(<Icon icon="<b>x</b>" />)
    expect(container.querySelector('b')).toBeNull()
    expect(container.querySelector('img')).toBeNull()
  })

  it('a javascript: address is never used as an image', () => {
    const { container } = render(<Icon icon="javascript:1" />)
    expect(container.querySelector('img')).toBeNull()
  })
})
