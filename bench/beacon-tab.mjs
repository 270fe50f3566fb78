// `node bench/beacon-tab.mjs`: what one Tab near a hotspot costs on a big page, HEAD's runtime
// against yours, in one Chromium run. Build both first (BEACON_TAB_A, BEACON_TAB_B: two
// LINGER_CDN_DIR builds, e.g. one of HEAD and one of your tree). Synthetic Tab keydowns are
// dispatched on the beacon (its handler's walk, no default action) and timed in the page; the
// first Tab of a fresh page is printed apart (nothing cached yet), then the median of the next.
// Pages: 45,000 read-only elements after the card; the same with a data grid whose 20,000 cells
// say tabindex -1 (the positive-tabindex query each Tab asks); 4,000 rows each with an Open button.
// Not part of `npm run bench`: a before/after tool, not a figure.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join, normalize } from 'node:path'
import { launchChromium } from '../scripts/chromium.mjs'

const dirs = { A: process.env.BEACON_TAB_A, B: process.env.BEACON_TAB_B }
if (!dirs.A || !dirs.B) throw new Error('BEACON_TAB_A and BEACON_TAB_B: two runtime builds (LINGER_CDN_DIR)')
const RUNS = Number(process.env.BEACON_TAB_RUNS ?? 5)
const REPEAT = Number(process.env.BEACON_TAB_REPEAT ?? 15)

const flows = {
  version: 1,
  settings: { cooldownDays: 0 },
  tours: [{ id: 'hint', trigger: { event: 'Go' }, steps: [{ id: 'slack', target: '#t', title: 'Connect Slack', beacon: true }] }],
}
const card = '<button>Before</button><div id="t"><h2>Integrations</h2><button>Connect Slack</button></div>'
const text = (n) => `<div>${'<div><span>Invoice</span> <span>7 EUR</span></div>'.repeat(n)}</div>`
const grid = (n) => `<div role="grid">${'<div role="row"><span role="gridcell" tabindex="-1">a</span><span role="gridcell" tabindex="-1">b</span></div>'.repeat(n)}</div>`
const pages = {
  'read-only rows (45,000 elements)': `${card}${text(15000)}<button>Export</button>`,
  'grid, 20,000 cells at tabindex -1': `${card}<button>Filter</button>${grid(10000)}<button>Export</button>`,
  'rows with Open buttons (4,000)': `${card}${'<div><span>Invoice</span> <button>Open</button></div>'.repeat(4000)}<button>Export</button>`,
}

async function serve(dir) {
  const snippet = await readFile(join(dir, 'snippet.html'), 'utf8')
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname.startsWith('/linger/'))
      try {
        const body = await readFile(join(dir, normalize(url.pathname.slice(8)).replace(/^(\.\.[/\\])+/, '')))
        return void res.writeHead(200, { 'Content-Type': url.pathname.endsWith('.js') ? 'text/javascript' : 'application/json' }).end(body)
      } catch {}
    const page = pages[decodeURIComponent(url.pathname.slice(1))]
    if (!page) return void res.writeHead(204).end()
    const init = JSON.stringify({ key: 'pk_bench', endpoint: `http://127.0.0.1:${server.address().port}/collect`, flows })
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">${snippet}<script>linger('init', ${init}); addEventListener('DOMContentLoaded', function () { linger.track('Go') })</script></head><body>${page}</body></html>`)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) }
}

/** In the page: one synthetic Tab on the beacon, its handler timed. */
function tabOnce() {
  const beacon = document.querySelector('linger-tours').shadowRoot.querySelector('.beacon')
  beacon.focus()
  const e = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true, composed: true })
  const t0 = performance.now()
  beacon.dispatchEvent(e)
  return performance.now() - t0
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const servers = { A: await serve(dirs.A), B: await serve(dirs.B) }
const browser = await launchChromium()
try {
  for (const name of Object.keys(pages)) {
    const first = { A: [], B: [] }
    const next = { A: [], B: [] }
    // Interleaved, A then B each run: the neighbours' load falls on both alike.
    for (let run = 0; run < RUNS; run++)
      for (const v of ['A', 'B']) {
        const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, reducedMotion: 'reduce' })
        const page = await context.newPage()
        await page.goto(`${servers[v].url}/${encodeURIComponent(name)}`)
        await page.waitForFunction(() => document.querySelector('linger-tours')?.shadowRoot?.querySelector('.beacon[style]'), null, { timeout: 20_000 })
        first[v].push(await page.evaluate(tabOnce))
        // Separate tasks: the beacon's one-Tab inert (past the cap) is over by the next.
        for (let i = 0; i < REPEAT; i++) next[v].push(await page.evaluate(tabOnce))
        await context.close()
      }
    const f = (xs) => median(xs).toFixed(2).padStart(7)
    console.log(`${name}\n  first Tab  A ${f(first.A)} ms   B ${f(first.B)} ms\n  later Tabs A ${f(next.A)} ms   B ${f(next.B)} ms   (medians, ${RUNS} pages x ${REPEAT})`)
  }
  // The positive-tabindex query on its own, old selector against new, on the grid page.
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${servers.B.url}/${encodeURIComponent('grid, 20,000 cells at tabindex -1')}`)
  const q = await page.evaluate(() => {
    const time = (f) => {
      const t = []
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now()
        f()
        t.push(performance.now() - t0)
      }
      return t.sort((a, b) => a - b)[15]
    }
    return {
      all: time(() => [...document.querySelectorAll('[tabindex]')].some((h) => h.tabIndex > 0)),
      few: time(() => [...document.querySelectorAll('[tabindex]:not([tabindex="0"],[tabindex^="-"])')].some((h) => h.tabIndex > 0)),
      elements: document.getElementsByTagName('*').length,
    }
  })
  console.log(`positive tabindex query, ${q.elements} elements: every [tabindex] ${q.all.toFixed(2)} ms, only those that may be above 0 ${q.few.toFixed(2)} ms (median of 30)`)
  await context.close()
} finally {
  await browser.close()
  await servers.A.close()
  await servers.B.close()
}
