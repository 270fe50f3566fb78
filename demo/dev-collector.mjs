// A minimal collector for the demo until packages/collector serves it: accepts the batch API on
// 127.0.0.1 and shows what arrived.
import { createServer } from 'node:http'

const EVENTS_JS = `async function tick(){const e=await (await fetch('/events.json')).json();const t=document.getElementById('t');t.replaceChildren(...e.map(x=>{const r=document.createElement('tr');for(const v of [x.timestamp,x.type,x.event||x.name||'',x.userId||x.anonymousId,JSON.stringify(x.properties||x.traits||{})]){const d=document.createElement('td');d.textContent=v;r.append(d)}return r}))}tick();setInterval(tick,1000)`

export async function startDevCollector({ port = 8787, host = '127.0.0.1', keys = ['pk_demo'] } = {}) {
  const events = []
  const seen = new Set()
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    if (req.method === 'POST' && req.url === '/v1/batch') {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        let body
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          return void res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"body is not JSON"}')
        }
        const auth = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')[0] : body.writeKey
        if (!keys.includes(auth)) return void res.writeHead(401).end('{"error":"unknown key"}')
        for (const e of Array.isArray(body.batch) ? body.batch : []) {
          if (seen.has(e.messageId)) continue
          seen.add(e.messageId)
          events.push({ ...e, receivedAt: new Date().toISOString() })
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
      })
      return
    }
    if (req.url === '/events.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' })
      return void res.end(EVENTS_JS)
    }
    if (req.url === '/events.json') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(events.slice(-200).reverse()))
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><meta charset="utf-8"><title>Linger events</title><style>body{font:14px system-ui;margin:24px}td{padding:4px 10px;border-bottom:1px solid #eee;vertical-align:top}code{font-size:12px;color:#555}</style><h1>Events received</h1><p>Newest first; refreshes every second.</p><table id=t></table><script src="/events.js"></script>`)
  })
  await new Promise((r) => server.listen(port, host, r))
  return { url: `http://${host}:${server.address().port}`, events, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r) }) }
}
