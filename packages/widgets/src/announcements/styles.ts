/**
 * The "what's new" launcher and its panel above it, docked in the bottom start corner (the
 * checklist has the end one). A long word anywhere in an item wraps (`li`); `[hidden]` and a
 * button link's underline are the base styles' (platform/base-css.ts).
 */
export default `
.wrap{position:fixed;bottom:16px;inset-inline-start:16px;display:flex;flex-direction:column;align-items:flex-start;gap:10px;max-width:calc(100vw - 32px)}
.launcher{display:flex;align-items:center;gap:8px}
.count{display:inline-block;min-width:20px;padding:0 6px;border-radius:999px;background:var(--linger-accent);color:var(--linger-on-accent);font-size:12px;font-weight:700;text-align:center;line-height:20px}
.panel{width:360px;max-width:100%;max-height:min(480px,calc(var(--linger-room,100vh) - 54px));overflow:auto;padding:16px}
.head{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0 0 8px}
h2{margin:0;font-size:16px}
ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:12px}
li{padding-block-end:12px;border-block-end:1px solid var(--linger-border);overflow-wrap:anywhere}
li:last-child{border:0;padding:0}
h3{margin:0;font-size:14px}
time{display:block;font-size:12px;color:var(--linger-muted)}
p{margin:4px 0 0;font-size:13px;color:var(--linger-muted);white-space:pre-line}
a.linger-btn{display:inline-block;margin-top:8px}
`
