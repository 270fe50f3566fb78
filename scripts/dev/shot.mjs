// Dev aid: screenshot a page after clicking selectors, for looking at the demo.
// node scripts/dev/shot.mjs <url> <out.png> "<selector>,<selector>"
import { chromium } from 'playwright-core'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] })
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
