import { useEffect, useState } from 'preact/hooks'

/**
 * The visible part of the viewport as CSS variables: on a phone the on-screen keyboard shrinks
 * the visual viewport but not the layout one, so a card fixed to the bottom would sit under the
 * keyboard. `--kb` is how much of the bottom is covered, `--vvt`/`--vvh` the visible band.
 */
export function useVisibleViewport(win: Window): Record<string, string> {
  const measure = (): Record<string, string> => {
    const vv = win.visualViewport
    if (!vv) return {}
    return {
      '--kb': `${Math.max(0, Math.round(win.innerHeight - vv.height - vv.offsetTop))}px`,
      '--vvt': `${Math.round(vv.offsetTop)}px`,
      '--vvh': `${Math.round(vv.height)}px`,
    }
  }
  const [vars, setVars] = useState(measure)
  useEffect(() => {
    const vv = win.visualViewport
    if (!vv) return
    const update = () => setVars(measure())
    vv.addEventListener('resize', update)
    vv.addEventListener('scroll', update)
    return () => {
      vv.removeEventListener('resize', update)
      vv.removeEventListener('scroll', update)
    }
  }, [])
  return vars
}
