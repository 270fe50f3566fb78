import { describe, expect, it } from 'vitest'
import { fontVariants } from './font-variants'

describe('the fonts a widget will ask for', () => {
  it('pairs every weight the CSS sets with every size it sets, with the surface size and bold always in', () => {
    const css = '.name{font-weight:700;font-size:15px}.icon{font-size: 28px}.btn{font-weight:600}.kicker{font-size:.85em}'
    expect(fontVariants(css)).toEqual([
      ['400', '1em'], ['400', '15px'], ['400', '28px'], ['400', '.85em'],
      ['700', '1em'], ['700', '15px'], ['700', '28px'], ['700', '.85em'],
      ['600', '1em'], ['600', '15px'], ['600', '28px'], ['600', '.85em'],
    ])
  })

  it('reads the forms CSS is written in, and not a custom property that merely ends like one', () => {
    expect(fontVariants('.a{FONT-SIZE : 14px !important}.b{font-weight: 600;}.c{--x-font-size:9px;--y-font-weight:900}.d{font-weight:1000}')).toEqual([
      ['400', '1em'], ['400', '14px'],
      ['700', '1em'], ['700', '14px'],
      ['600', '1em'], ['600', '14px'],
    ])
  })

  it('leaves out what only the page can resolve: variables and calc()', () => {
    expect(fontVariants(':host{font-size:var(--linger-font-size)!important}.x{font-size:calc(1em + 2px);font-weight:bold}')).toEqual([
      ['400', '1em'],
      ['700', '1em'],
    ])
  })
})
