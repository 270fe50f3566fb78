// Docked in the bottom start corner's stack (view.tsx), above the "what's new" launcher; on a
// narrow screen the corners share one column, so it also clears the checklist launcher.
// Logical properties throughout, so a right-to-left locale mirrors it.
export const REVIEW_CSS =
  '.card{position:fixed;inset-inline-start:16px;width:min(360px,calc(100vw - 32px));max-height:var(--linger-room,calc(100vh - 32px));overflow:auto;padding:16px;padding-inline-end:44px;animation:rise .2s ease-out}' +
  '@keyframes rise{from{opacity:0;transform:translateY(8px)}}' +
  '@media (prefers-reduced-motion:reduce){.card{animation:none}}' +
  '.x{position:absolute;top:8px;inset-inline-end:8px}' +
  'h2{margin:0;font-size:16px;line-height:1.3;overflow-wrap:anywhere}' +
  '.period{margin:2px 0 0;color:var(--linger-muted);font-size:13px}' +
  '.intro{margin:8px 0 0;overflow-wrap:anywhere}' +
  'dl{margin:12px 0 0;display:grid;gap:8px}' +
  // A label keeps room for a word or two; a long comparison goes to its own line, not the label.
  'dl>div{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:4px 12px;padding:8px 10px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius) * .66)}' +
  'dt{flex:1 1 8em;overflow-wrap:anywhere}' +
  'dd{margin:0;margin-inline-start:auto;text-align:end}' +
  '.v{font-weight:700;font-size:18px;white-space:nowrap}' +
  '.d{display:block;font-size:12px;color:var(--linger-muted)}' +
  '.empty{margin:12px 0 0;color:var(--linger-muted)}'
