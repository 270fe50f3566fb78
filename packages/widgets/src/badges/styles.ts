export const toastCss = `
.toast{position:fixed;top:16px;inset-inline-end:16px;display:flex;align-items:center;gap:12px;width:340px;max-width:calc(100vw - 32px);padding:12px;padding-inline-start:16px;animation:in .25s ease-out}
.icon{flex:none;width:32px;height:32px;font-size:28px;line-height:1;color:var(--linger-accent)}
.body{flex:1;min-width:0}
.kicker{margin:0;font-size:12px;color:var(--linger-muted);text-transform:uppercase;letter-spacing:.04em}
.name{margin:2px 0 6px;font-weight:700;font-size:15px;overflow-wrap:anywhere}
.view{min-height:28px;padding:2px 10px;font-size:13px}
.toast[data-wait]{visibility:hidden}
@keyframes in{from{transform:translateY(-12px);opacity:0}}
@media (prefers-reduced-motion:reduce){.toast{animation:none}}
`

// The shelf is at most as tall as the overlay (what is on screen, unlike `100vh` on a phone) and scrolls inside.
// A long word anywhere in it wraps (a badge's title or description, a teammate's name).
export const shelfCss = `
.overlay{position:fixed;inset:0;background:var(--linger-overlay);display:flex;align-items:center;justify-content:center;padding:16px}
.shelf{width:560px;max-width:100%;max-height:100%;overflow:auto;padding:20px;overflow-wrap:anywhere}
.head{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
h2{margin:0;font-size:18px}
.level{margin:6px 0 0;color:var(--linger-muted)}
.bar{height:8px;margin:8px 0 0;border-radius:999px;border:1px solid transparent;background:var(--linger-border);overflow:hidden}
.bar>span{display:block;height:100%;background:var(--linger-accent);border-block:3px solid transparent}
ul.badges{list-style:none;margin:16px 0 0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.badges li{display:flex;flex-flow:column;gap:4px;padding:12px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius)*.66)}
.locked .icon{filter:grayscale(1);opacity:.55}
.icon{flex:none;width:32px;height:32px;font-size:28px;line-height:1;color:var(--linger-accent)}
h3{margin:0;font-size:14px}
p{margin:0;font-size:12px;color:var(--linger-muted)}
.state{font-weight:600;color:var(--linger-fg)}
.board{margin-top:20px}
.board h3{font-size:15px}
ol{list-style:none;margin:8px 0 0;padding:0;display:grid;gap:4px}
ol li{display:flex;gap:10px;align-items:baseline;padding:6px 10px;border-radius:calc(var(--linger-radius)*.66)}
.you{background:var(--linger-border);font-weight:700}
.rank{min-width:1.5em;color:var(--linger-muted)}
.who{flex:1;min-width:0}
.optout{display:flex;gap:8px;align-items:center;margin:7px 0 -3px;padding:3px 0;min-height:24px;font-size:13px}
`
