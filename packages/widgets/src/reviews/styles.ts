// Bottom start corner: the checklist launcher holds bottom end and badge toasts top end. On a
// narrow screen the card spans the width, so it sits above the launcher's row instead.
// Logical properties throughout, so a right-to-left locale mirrors it.
export const REVIEW_CSS =
  '.card{position:fixed;bottom:16px;inset-inline-start:16px;width:min(360px,calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;padding:16px;padding-inline-end:44px;animation:rise .2s ease-out}' +
  '@keyframes rise{from{opacity:0;transform:translateY(8px)}}' +
  '@media (prefers-reduced-motion:reduce){.card{animation:none}}' +
  '@media (max-width:800px){.card{bottom:76px;max-height:calc(100vh - 92px)}}' +
  '.x{position:absolute;top:8px;inset-inline-end:8px}' +
  'h2{margin:0;font-size:16px;line-height:1.3;overflow-wrap:anywhere}' +
  '.period{margin:2px 0 0;color:var(--linger-muted);font-size:13px}' +
  '.intro{margin:8px 0 0;overflow-wrap:anywhere}' +
  'dl{margin:12px 0 0;display:grid;gap:8px}' +
  'dl>div{display:flex;align-items:baseline;justify-content:space-between;gap:12px;padding:8px 10px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius) * .66)}' +
  'dt{overflow-wrap:anywhere}' +
  'dd{margin:0;text-align:end;white-space:nowrap}' +
  '.v{font-weight:700;font-size:18px}' +
  '.d{display:block;font-size:12px;color:var(--linger-muted)}' +
  '.empty{margin:12px 0 0;color:var(--linger-muted)}'
