// Dev aid: a CPU profile of the demo (npm start) from navigation to `ready`, self time per function.
import { launchChromium } from '../chromium.mjs'
import { readFileSync } from 'node:fs'
const b = await launchChromium()
const p = await b.newPage()
const cdp = await p.context().newCDPSession(p)
await cdp.send('Profiler.enable')
await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
await cdp.send('Profiler.start')
await p.goto('http://127.0.0.1:5173/')
await p.waitForFunction(() => window.linger?.loaded)
await p.evaluate(() => new Promise((r) => window.linger('on', 'ready', r)))
await p.waitForTimeout(500)
const { profile } = await cdp.send('Profiler.stop')
// self time per function+url
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = profile.timeDeltas
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)) })
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
for (const [k, us] of top) console.log((us / 1000).toFixed(1).padStart(7), 'ms', k)
// inclusive per url
const byUrl = new Map(); profile.samples.forEach((id, i) => { const n = byId.get(id); const u = n.callFrame.url.split('/').pop() || n.callFrame.functionName; byUrl.set(u, (byUrl.get(u) ?? 0) + (dt[i] ?? 0)) })
console.log([...byUrl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([u, t]) => `${u}: ${(t / 1000).toFixed(1)}ms`).join('\n'))
await b.close()
