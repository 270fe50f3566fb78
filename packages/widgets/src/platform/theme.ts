/**
 * Theme → `--linger-*` custom properties on each widget's shadow host. Pure: returns CSS text.
 *
 * Option shape (init/mount `theme`): `{ mode?: 'light'|'dark'|'auto', accent?, onAccent?,
 * background?, text?, muted?, border?, success?, danger?, radius?, font?, fontSize?, zIndex?,
 * dark?: { …the same colour keys for dark mode } }`. Vendors can also set any `--linger-*`
 * variable on `[data-linger]` from their own CSS (an outer-tree rule beats `:host`).
 */
export type ThemeMode = 'light' | 'dark' | 'auto'

type Palette = Record<string, string>

const LIGHT: Palette = {
  accent: '#4338ca',
  onAccent: '#ffffff',
  background: '#ffffff',
  text: '#1f2937',
  muted: '#4b5563',
  border: '#d1d5db',
  success: '#166534',
  danger: '#b91c1c',
  overlay: 'rgba(17,24,39,.5)',
  shadow: '0 12px 32px rgba(17,24,39,.22)',
}
const DARK: Palette = {
  accent: '#a5b4fc',
  onAccent: '#111827',
  background: '#1f2937',
  text: '#f9fafb',
  muted: '#d1d5db',
  border: '#4b5563',
  success: '#86efac',
  danger: '#fca5a5',
  overlay: 'rgba(0,0,0,.6)',
  shadow: '0 12px 32px rgba(0,0,0,.5)',
}
const COLOR_VARS: Record<string, string> = {
  accent: 'accent',
  onAccent: 'on-accent',
  background: 'bg',
  text: 'fg',
  muted: 'muted',
  border: 'border',
  success: 'success',
  danger: 'danger',
  overlay: 'overlay',
  shadow: 'shadow',
}

/** The top of the z-index range; layers count down from here so a toast sits above a modal. */
export const Z_MAX = 2147483647
export const LAYERS = { base: 3, popover: 2, modal: 1, toast: 0 } as const
export type Layer = keyof typeof LAYERS

/**
 * A value that cannot break out of its declaration (config is not trusted to be CSS; a tenant's
 * "brand colour" may end up here): nothing that ends it, no image the browser would fetch
 * (`url(`, `image-set(`, `src(`: a colour `url(…)` painted every widget's background from a
 * third party), and no bracket or quote left open, which swallowed every value after it.
 */
export function safeCssValue(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v !== 'string' || !v.trim() || v.length > 200 || /[;{}<>\\]|\/\*|(url|src|image(-set)?)\(/i.test(v)) return undefined
  // A string ends at a line break in CSS: what follows it would open a string of its own.
  let bare = v.replace(/"[^"\n\r\f]*"|'[^'\n\r\f]*'/g, '')
  // Innermost brackets out, until none are left: any that stays was never closed (or opened).
  while (bare != (bare = bare.replace(/\([^()[\]]*\)|\[[^()[\]]*\]/g, '')));
  return /["'()[\]]/.test(bare) ? undefined : v.trim()
}

// Each text colour, and the colour it is written on.
const ON: Palette = { onAccent: 'accent', text: 'background', muted: 'background' }

/**
 * Text the vendor did not choose is the default that reads best on its `#rgb` or `#rrggbb`
 * background: not white left on a pale yellow brand (1.3:1), nor dark on a dark one.
 */
function palette(base: Palette, over: unknown): string {
  const o = (over && typeof over === 'object' ? over : {}) as Record<string, unknown>
  const p: Palette = {}
  return Object.keys(COLOR_VARS)
    .map((k) => {
      const rgb = /^#([\da-f]{2})([\da-f]{2})([\da-f]{2})$/i.exec(p[ON[k]!]?.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') ?? '')
      // Relative luminance (WCAG, near enough): above 0.2, dark text reads better than white.
      const light = rgb?.slice(1).reduce((l, h, i) => l + [0.2126, 0.7152, 0.0722][i]! * (parseInt(h, 16) / 255) ** 2.2, 0)
      p[k] = safeCssValue(o[k]) ?? (light === undefined ? base[k] : ((light > 0.2) === (k === 'onAccent') ? DARK : LIGHT)[k])!
      return `--linger-${COLOR_VARS[k]}:${p[k]};`
    })
    .join('')
}

export function zIndexFor(theme: Record<string, unknown> | undefined, layer: Layer): number {
  const top = Number(theme?.zIndex)
  const max = Number.isInteger(top) && top > 3 && top <= Z_MAX ? top : Z_MAX
  return max - LAYERS[layer]
}

/** The `:host` rules carrying the theme; dark follows the system unless `mode` forces it. */
export function themeCss(theme: Record<string, unknown> = {}): string {
  const radius = theme.radius
  const common =
    `--linger-radius:${typeof radius === 'number' ? `${radius}px` : (safeCssValue(radius) ?? '12px')};` +
    `--linger-font:${safeCssValue(theme.font) ?? 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif'};` +
    `--linger-font-size:${safeCssValue(theme.fontSize) ?? '14px'};`
  const mode = theme.mode
  const light = palette(LIGHT, theme)
  // A dark system keeps the vendor's colours but not the text they chose for the light palette
  // (#111 on the dark background): unless `dark` sets it, it is worked out again.
  const dark = palette(DARK, { ...theme, ...(mode !== 'dark' && { onAccent: '', text: '', muted: '' }), ...(theme.dark as object) })
  if (mode === 'dark') return `:host{${common}${dark}color-scheme:dark}`
  if (mode === 'light') return `:host{${common}${light}color-scheme:light}`
  return `:host{${common}${light}color-scheme:light}@media (prefers-color-scheme:dark){:host{${dark}color-scheme:dark}}`
}
