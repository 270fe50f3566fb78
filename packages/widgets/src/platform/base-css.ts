/**
 * Base styles every surface gets. The host element lives in the page's tree, so hostile page
 * CSS (`* { all: unset !important }`, giant z-indexes) reaches it: `:host` declarations marked
 * !important come from the inner (shadow) context and so beat the page's !important ones
 * (CSS Cascade 4, "context"). Inside the shadow root page selectors do not apply at all; only
 * inherited properties would leak in, and `all: initial` on the host cuts those off.
 * Hyphens: a word too long for its line ("Kundenprojektverwaltung" at 320 px) breaks where its
 * language breaks it, with a hyphen (the host's `lang` says which), not anywhere without one.
 */
export const HOST_CSS =
  ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;' +
  'width:0!important;height:0!important;font-family:var(--linger-font)!important;font-size:var(--linger-font-size)!important;' +
  'line-height:1.45!important;color:var(--linger-fg)!important;hyphens:auto!important}'

export const BASE_CSS =
  '*,*::before,*::after{box-sizing:border-box}' +
  'button,input,select,textarea{font:inherit;color:inherit;letter-spacing:inherit}' +
  'button{cursor:pointer}' +
  ':focus-visible{outline:2px solid var(--linger-accent);outline-offset:2px}' +
  '[hidden]{display:none!important}' +
  '.linger-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}' +
  '.linger-btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;min-height:32px;padding:6px 12px;border-radius:calc(var(--linger-radius) * .66);border:1px solid var(--linger-border);background:var(--linger-bg);color:var(--linger-fg);font-weight:600;text-decoration:none}' +
  '.linger-btn-primary{background:var(--linger-accent);border-color:var(--linger-accent);color:var(--linger-on-accent)}' +
  // Never squeezed by a flex row: beside a long title under the user's text spacing, × was 20 px wide.
  '.linger-icon-btn{flex:none;display:inline-flex;align-items:center;justify-content:center;width:32px;height:32px;padding:0;border:0;border-radius:50%;background:transparent;color:var(--linger-muted);font-size:18px;line-height:1}' +
  '.linger-card{background:var(--linger-bg);color:var(--linger-fg);border:1px solid var(--linger-border);border-radius:var(--linger-radius);box-shadow:var(--linger-shadow)}' +
  '@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation-duration:1ms!important;animation-iteration-count:1!important;transition-duration:1ms!important;scroll-behavior:auto!important}}'
