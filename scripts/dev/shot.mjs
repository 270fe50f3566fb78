// Dev aid: screenshot a page after clicking selectors, for looking at the demo.
// node scripts/dev/shot.mjs <url> <out.png> "<selector>,<selector>"
import { launchChromium } from '../chromium.mjs'
const b = await launchChromium()
const p = await b.newPage({ viewport: { width: 1280, height: 860 } })
const logs = []
p.on('console', (m) => logs.push(m.type() + ' ' + m.text()))
p.on('pageerror', (e) => logs.push('PAGEERROR ' + e))
await p.goto(process.argv[2])
await p.waitForTimeout(2500)
for (const a of (process.argv[4] || '').split(',').filter(Boolean)) { await p.click(a).catch(e => logs.push('click fail ' + a)); await p.waitForTimeout(700) }
await p.screenshot({ path: process.argv[3] })
console.log(logs.join('\n'))
await b.close()
