/** The "what's new" launcher and its panel (bottom, inline start: the checklist sits at the end). */
export default `
.launcher{position:fixed;bottom:16px;inset-inline-start:16px;display:flex;align-items:center;gap:8px}
.count{display:inline-block;min-width:20px;padding:0 6px;border-radius:999px;background:var(--linger-accent);color:var(--linger-on-accent);font-size:12px;font-weight:700;text-align:center;line-height:20px}
.panel{position:fixed;bottom:64px;inset-inline-start:16px;width:360px;max-width:calc(100vw - 32px);max-height:min(480px,calc(100vh - 96px));overflow:auto;padding:16px}
.head{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0 0 8px}
h2{margin:0;font-size:16px}
ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:12px}
li{padding-block-end:12px;border-block-end:1px solid var(--linger-border)}
li:last-child{border:0;padding:0}
h3{margin:0;font-size:14px;overflow-wrap:anywhere}
time{display:block;font-size:12px;color:var(--linger-muted)}
p{margin:4px 0 0;font-size:13px;color:var(--linger-muted);white-space:pre-line;overflow-wrap:anywhere}
a.linger-btn{display:inline-block;margin-top:8px;text-decoration:none}
`
