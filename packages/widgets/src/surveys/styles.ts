// Logical properties throughout, so a right-to-left locale mirrors the corner and the scale.
// A long word in the vendor's question or options wraps (anywhere): it hid behind a sideways
// scroll at 320 px. `--kb`, `--vvt`, `--vvh` come from viewport.ts and keep the card inside the visible viewport.
export const SURVEY_CSS =
  '.card{position:fixed;width:min(380px,calc(100vw - 32px));max-height:var(--linger-room,calc(var(--vvh,100vh) - 32px));overflow:auto;padding:16px;padding-inline-end:44px;overflow-wrap:anywhere}' +
  '.pop .card{animation:rise .2s ease-out}' +
  '@keyframes rise{from{opacity:0;transform:translateY(8px)}}' +
  // The corner is the placement in the popover's class ("pop bottom-right").
  '[class*=bottom] .card{bottom:calc(16px + var(--kb,0px))}' +
  '[class*=top] .card{top:calc(16px + var(--vvt,0px))}' +
  '[class$=right] .card{inset-inline-end:16px}' +
  '[class$=left] .card{inset-inline-start:16px}' +
  '.modal{position:fixed;inset-inline:0;top:var(--vvt,0px);height:var(--vvh,100vh);display:flex;align-items:center;justify-content:center;background:var(--linger-overlay)}' +
  '.modal .card{position:relative}' +
  '.x{position:absolute;top:8px;inset-inline-end:8px}' +
  '.q{display:block;margin:0 0 12px;font-weight:600;font-size:1.05em;padding:0}' +
  'fieldset{border:0;margin:0;padding:0;min-width:0}' +
  '.options{display:grid;grid-template-columns:repeat(var(--n),minmax(0,1fr));gap:4px}' +
  '.opt{min-width:24px;min-height:36px;padding:0;border:1px solid var(--linger-border);border-radius:6px;background:var(--linger-bg);font-weight:600}' +
  '.opt[aria-checked=true]{background:var(--linger-accent);border-color:var(--linger-accent);color:var(--linger-on-accent)}' +
  '.stars .opt,.emoji .opt{border-color:transparent;font-size:1.6em;background:transparent;color:var(--linger-muted)}' +
  // The checked star is lit too (score-scale.tsx): stars up to it are.
  '.stars .opt.lit{color:#b45309}' +
  '.emoji .opt[aria-checked=true]{border-color:var(--linger-accent)}' +
  '.ends{display:flex;justify-content:space-between;gap:8px;margin-top:4px;font-size:.85em;color:var(--linger-muted)}' +
  // Reversed: the primary button comes first in Tab order and is drawn at the row's end.
  '.actions{display:flex;gap:8px;flex-flow:row-reverse;margin-top:12px}' +
  '.choice{display:flex;align-items:center;gap:8px;padding:6px 0}' +
  '.choice input{width:18px;height:18px;margin:0;accent-color:var(--linger-accent)}' +
  'textarea,.other{display:block;width:100%;padding:8px;border:1px solid var(--linger-border);border-radius:6px;background:var(--linger-bg);resize:vertical}' +
  '.other{margin-top:4px}' +
  '.count{margin:4px 0 0;font-size:.85em;color:var(--linger-muted);text-align:end}' +
  '.count.over{color:var(--linger-danger)}' +
  '.count:empty{margin:0}' +
  '.thanks{margin:0;font-weight:600}' +
  '.thanks:focus{outline:none}' +
  // On a phone the room for × is kept beside the question only (× is placed absolutely, at the
  // top): across the whole card it left 11 NPS scores ~18 px each at 320 px, and 24 px buttons
  // overlapped. Now 0–10 get 24.2 px each at 320 px, 2 px apart; the centred card is as wide
  // (at 288 px it left them 22.7 px). Last: it overrides the rules above.
  '@media (max-width:480px){.pop .card{width:auto;inset-inline:8px}.modal .card{width:calc(100% - 16px)}[class*=bottom] .card{bottom:calc(8px + var(--kb,0px))}' +
  '.card{padding-inline:8px}.q,.thanks{padding-inline-end:32px}.options{gap:2px}.opt{min-width:0}}' +
  // Forced colours drop the accent fill: the picked score looked like every other one. System
  // colours mark it instead (after the rules above, which they override); a lit star is the
  // highlight's colour, the focus ring the text's.
  '@media (forced-colors:active){.opt[aria-checked=true]{forced-color-adjust:none;background:Highlight;border-color:Highlight;color:HighlightText}' +
  '.stars .opt.lit:not([aria-checked=true]){forced-color-adjust:none;color:Highlight}.opt:focus-visible{outline-color:CanvasText}}'

