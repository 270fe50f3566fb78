export const css = `
.wrap{position:fixed;bottom:16px;inset-inline-end:16px;display:flex;flex-direction:column;align-items:flex-end;gap:10px;max-width:calc(100vw - 32px)}
.launcher{display:flex;justify-content:flex-end;align-items:flex-end;gap:6px;max-width:100%}
.hid{flex-wrap:wrap}
.pill{display:flex;align-items:center;gap:8px;min-width:0;min-height:44px;padding:8px 16px;border-radius:999px;border:1px solid transparent;background:var(--linger-accent);color:var(--linger-on-accent);font-weight:600;box-shadow:var(--linger-shadow)}
.pill.quiet{background:var(--linger-bg);color:var(--linger-fg);border-color:var(--linger-border);overflow-wrap:anywhere}
.count{min-width:2.6em;padding:2px 8px;border-radius:999px;background:var(--linger-bg);color:var(--linger-fg);font-size:12px;text-align:center;flex:none}
.round{flex:none;width:44px;padding:0;justify-content:center}
.name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.panel{width:360px;max-width:100%;max-height:min(560px,calc(var(--linger-room,100vh) - 54px));overflow:auto;padding:16px;overflow-wrap:anywhere}
.head{display:flex;align-items:flex-start;justify-content:space-between;gap:8px}
h2{margin:0;font-size:16px;line-height:1.3}
.desc{margin:4px 0 0;color:var(--linger-muted)}
.bar{height:8px;margin:12px 0 4px;border-radius:999px;border:1px solid transparent;background:var(--linger-border);overflow:hidden}
.bar>span{display:block;height:100%;background:var(--linger-accent);border-block:3px solid transparent;transition:width .4s ease}
.meta{margin:0;color:var(--linger-muted);font-size:12px}
ul{list-style:none;margin:12px 0 0;padding:0;display:grid;gap:8px}
li{display:grid;grid-template-columns:24px 1fr auto;align-items:center;gap:4px 10px;padding:8px;border:1px solid var(--linger-border);border-radius:calc(var(--linger-radius) * .66)}
li.done .title{text-decoration:line-through;color:var(--linger-muted)}
.tdesc{display:block;margin-block-start:2px;font-size:12px;color:var(--linger-muted)}
.tick{display:flex;align-items:center;justify-content:center;width:22px;height:22px;border-radius:50%;border:2px solid var(--linger-border);font-size:13px}
li.done .tick{background:var(--linger-success);border-color:var(--linger-success);color:var(--linger-bg)}
.pts{font-size:12px;color:var(--linger-muted);white-space:nowrap}
.cta{grid-column:2/-1;justify-self:start;min-height:28px;padding:2px 10px;font-size:13px}
.foot{display:flex;justify-content:space-between;align-items:center;gap:8px;margin-top:12px}
.link{border:0;background:none;padding:4px;color:var(--linger-muted);text-decoration:underline}
.done-box{position:relative;margin-top:12px;padding:12px;border-radius:calc(var(--linger-radius) * .66);background:var(--linger-bg);border:2px solid var(--linger-success);text-align:center;overflow:hidden}
.done-box strong{display:block;font-size:16px}
.confetti{position:absolute;inset:0;pointer-events:none}
.confetti i{position:absolute;top:-10px;width:6px;height:10px;border-radius:2px;animation:fall 1.4s ease-in forwards}
@keyframes fall{to{transform:translateY(140px) rotate(540deg);opacity:0}}
@media (prefers-reduced-motion:reduce){.confetti{display:none}}
`
