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

  it("a colour that is an image (a tenant's brand colour set to url(…)) is not used: no widget fetches it", () => {
    for (const image of ['url(https://t.example/p.gif)', 'URL("https://t.example/p.gif")', 'image-set("https://t.example/p.gif" 1x)', '-webkit-image-set(url(p.gif) 1x)', 'var(--brand, url(https://t.example/p.gif))', 'src("https://t.example/p.gif")']) {
      expect(safeCssValue(image), image).toBeUndefined()
      expect(value(themeCss({ background: image }), 'bg'), image).toBe('#ffffff')
    }
  })

  it("a value with a bracket or a quote left open (a typo) is dropped, and cannot swallow the vendor's other values", () => {
    for (const typo of ['rgb(20, 40, 200', "'Inter, sans-serif", '"Inter", sans-serif"', 'calc((8px + 2px)', 'red)', 'x]', '"Inter\n", "serif'])
      expect(safeCssValue(typo), typo).toBeUndefined()
    for (const fine of ['"Inter", sans-serif', "'Noto Sans', system-ui", 'rgb(20 40 200 / 50%)', 'calc((8px + 2px) * 2)', 'var(--brand)', 'color-mix(in srgb, var(--brand) 80%, white)', '"a (b" , serif'])
      expect(safeCssValue(fine), fine).toBe(fine)
  })

  it('stacks layers at the top of the z-index range, toast above modal above popover', () => {
    const [base, popover, modal, toast] = (['base', 'popover', 'modal', 'toast'] as const).map((l) => zIndexFor({}, l))
    expect(toast).toBe(Z_MAX)
    expect(base < popover && popover < modal && modal < toast).toBe(true)
    expect(zIndexFor({ zIndex: 1000 }, 'toast')).toBe(1000)
  })

  /** The value of `--linger-NAME` in the light (first) or dark (`@media` or forced) rule. */
  const value = (css: string, name: string, dark = false) => {
    const rule = dark ? css.slice(css.lastIndexOf(':host{')) : css
    return new RegExp(`--linger-${name}:([^;]+);`).exec(rule)?.[1]
  }
  /** WCAG contrast of two #rrggbb or #rgb colours. */
  const contrast = (a: string, b: string) => {
    const lum = (c: string) => {
      const hex = c.length === 4 ? c.replace(/\w/g, '$&$&') : c
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
    }
    const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m)
    return (x! + 0.05) / (y! + 0.05)
  }

  it("a vendor who sets only their brand colour gets button text that reads on it, in light and dark mode", () => {
    // A pale yellow brand (white on it was 1.3:1), and the README's own indigo (dark text on it in dark mode was 2.9:1).
    for (const accent of ['#ffd400', '#4f46e5', '#3b82f6', '#fc0']) {
      const css = themeCss({ accent })
      for (const dark of [false, true]) {
        expect(value(css, 'accent', dark)).toBe(accent)
        expect(contrast(accent, value(css, 'on-accent', dark)!), `${accent} ${dark ? 'dark' : 'light'}`).toBeGreaterThanOrEqual(4.5)
      }
    }
  })

  it("the light page's colours a vendor set do not leave dark-mode text unreadable on the dark background", () => {
    // Text for their white surface; a dark system keeps the dark background.
    const css = themeCss({ text: '#111111', muted: '#555555' })
    expect(value(css, 'fg')).toBe('#111111')
    expect(value(css, 'muted')).toBe('#555555')
    expect(contrast(value(css, 'bg', true)!, value(css, 'fg', true)!)).toBeGreaterThanOrEqual(4.5)
    expect(contrast(value(css, 'bg', true)!, value(css, 'muted', true)!)).toBeGreaterThanOrEqual(4.5)
    // A cream surface, with no text colour: dark mode shows it with dark text, not near-white on cream.
    const cream = themeCss({ background: '#fffdf0' })
    expect(contrast('#fffdf0', value(cream, 'fg', true)!)).toBeGreaterThanOrEqual(4.5)
    // A dark surface for the dark palette, the accent's text set for the light one only.
    const split = themeCss({ accent: '#4f46e5', onAccent: '#ffffff', dark: { accent: '#c7d2fe', background: '#000000' } })
    expect(value(split, 'on-accent')).toBe('#ffffff')
    expect(contrast('#c7d2fe', value(split, 'on-accent', true)!)).toBeGreaterThanOrEqual(4.5)
  })

  it('keeps the text colours a vendor chose for a palette, and colours it cannot read, as they are', () => {
    const css = themeCss({ accent: '#ffd400', onAccent: '#ffffff', background: '#000000', text: '#333333', dark: { muted: '#999999' } })
    expect([value(css, 'on-accent'), value(css, 'fg'), value(css, 'muted', true)]).toEqual(['#ffffff', '#333333', '#999999'])
    expect(['var(--brand)', 'hsl(50 100% 50%)', '#ff05'].map((accent) => value(themeCss({ accent }), 'on-accent'))).toEqual(['#ffffff', '#ffffff', '#ffffff'])
    expect(value(themeCss({ mode: 'dark', text: '#777777' }), 'fg', true)).toBe('#777777')
  })
})
