import { describe, expect, it } from 'vitest'
import { safeCssValue, themeCss, zIndexFor, Z_MAX } from './theme'

describe('theme', () => {
  it('turns the theme option into --linger-* variables, with a dark palette for dark systems', () => {
    const css = themeCss({ accent: '#ff0066', radius: 4, font: '"Inter", sans-serif' })
    expect(css).toContain('--linger-accent:#ff0066;')
    expect(css).toContain('--linger-radius:4px;')
    expect(css).toContain('--linger-font:"Inter", sans-serif;')
    expect(css).toContain('@media (prefers-color-scheme:dark)')
  })

  it('forces one palette when mode is set', () => {
    const dark = themeCss({ mode: 'dark', dark: { background: '#000000' } })
    expect(dark).not.toContain('@media')
    expect(dark).toContain('--linger-bg:#000000;')
    expect(themeCss({ mode: 'light' })).toContain('color-scheme:light')
  })

  it('refuses values that would escape their declaration', () => {
    expect(safeCssValue('red;} * { display: none')).toBeUndefined()
    expect(safeCssValue('</style><script>')).toBeUndefined()
    expect(themeCss({ accent: 'red}body{display:none' })).not.toContain('display:none')
  })

  it('stacks layers at the top of the z-index range, toast above modal above popover', () => {
    const [base, popover, modal, toast] = (['base', 'popover', 'modal', 'toast'] as const).map((l) => zIndexFor({}, l))
    expect(toast).toBe(Z_MAX)
    expect(base < popover && popover < modal && modal < toast).toBe(true)
    expect(zIndexFor({ zIndex: 1000 }, 'toast')).toBe(1000)
  })
})
