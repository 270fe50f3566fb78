/**
 * The one banner: a bar along the top or bottom edge (docked by the layout), full width, wrapping
 * from 320px. One that pushes the page is edge to edge (`.push`). Up to 480 px wide a banner is two
 * rows, its body folded behind `.more` (clipped, still read by a screen reader): at most ~12% of a
 * phone's height. Up to 480 px tall too, when no wider than a phone held sideways (a sixth of its
 * height went to it); not a short laptop window, where the body fits on the banner's one row.
 */
export const bannerCss = `
.banner{position:fixed;inset-inline:16px;top:16px;display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;padding:8px 12px;font-size:14px;background:var(--linger-bg);color:var(--linger-fg);border:1px solid var(--linger-border);border-radius:var(--linger-radius);box-shadow:var(--linger-shadow);max-height:40vh;overflow:auto}
.banner.bottom{top:auto;bottom:16px}
.push{inset-inline:0;top:0;border-radius:0}
.more{display:none;height:24px;color:inherit}
[aria-expanded=true]{transform:scaleY(-1)}
@media (max-width:480px),(max-height:480px) and (max-width:960px){.banner{padding:4px 12px;gap:2px 12px}.banner .linger-btn{padding-block:4px}.more{display:inline-flex}.fold{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}}
.text{flex:1 1 220px;min-width:0;margin:0}
.title{font-weight:700;overflow-wrap:anywhere}
.body{color:var(--linger-muted);overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.status{flex-basis:100%;margin:0;font-size:13px}
.status.error{color:var(--linger-danger)}
a.linger-btn{text-decoration:none}
.linger-btn[aria-disabled]{opacity:.55;cursor:progress}
`

/**
 * The one modal: a "what's new" release note or the failed-payment wall. The dialog is at most as
 * tall as the overlay (what is on screen) and scrolls inside: `100vh` on a phone is the viewport
 * with the browser's toolbar hidden, and a dialog that tall had its buttons cut off. On a phone
 * drawn edge to edge (viewport-fit=cover) it keeps past the notch and the home bar: a long one's
 * title sat under the clock, its buttons under the home bar.
 */
export const modalCss = `
.overlay{position:fixed;inset:0;background:var(--linger-overlay);display:flex;align-items:center;justify-content:center;padding:max(16px,env(safe-area-inset-top)) max(16px,env(safe-area-inset-right)) max(16px,env(safe-area-inset-bottom)) max(16px,env(safe-area-inset-left))}
.dialog{width:480px;max-width:100%;max-height:100%;overflow:auto;padding:24px}
h2{margin:0 0 8px;font-size:20px;overflow-wrap:anywhere}
h2:focus{outline:none}
.body{margin:0 0 16px;color:var(--linger-muted);white-space:pre-line;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px}
.status{margin:0 0 12px;font-size:14px}
.status.error{color:var(--linger-danger)}
a.linger-btn{text-decoration:none}
.linger-btn[aria-disabled]{opacity:.55;cursor:progress}
`
