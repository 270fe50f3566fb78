import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedBatch {
  body: { batch: Array<Record<string, any>>; sentAt: string; writeKey: string }
  headers: IncomingMessage['headers']
  path: string
  status: number
}

/**
 * `delayMs`: the answer leaves this much later, as from a collector a real round trip away.
 * `body`: the JSON answer (with its Content-Length), as the reference collector's `rejected` list.
 */
export type Responder = (req: IncomingMessage, batch: ReceivedBatch['body']) => { status: number; headers?: Record<string, string>; delayMs?: number; body?: unknown } | 'reset' | 'hang'

/**
 * A real HTTP collector on 127.0.0.1 for browser tests. It answers CORS like the contract says,
 * records every batch, and lets a test script the answers (500s, 429s, resets) per request.
 */
export async function startTestCollector(respond: Responder = () => ({ status: 200 })) {
  const batches: ReceivedBatch[] = []
  let responder = respond
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*')
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS')
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Date')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: ReceivedBatch['body']
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return void res.writeHead(400).end('bad json')
      }
      const answer = responder(req, body)
      if (answer === 'reset') return void req.socket.destroy()
      if (answer === 'hang') return
      const send = () => {
        batches.push({ body, headers: req.headers, path: req.url ?? '', status: answer.status })
        const text = JSON.stringify(answer.body ?? { ok: answer.status < 300 })
        res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...answer.headers })
        res.end(text)
      }
      if (answer.delayMs) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  const delivered = () => batches.filter((b) => b.status < 300).flatMap((b) => b.body.batch)
  // A page that unloads while its batch is in flight cannot learn it was accepted, so the next page
  // sends it again with the same messageIds; the contract has collectors deduplicate on them.
  // Only exact resends are dropped here: an event made again (a grant decided twice keeps its
  // messageId but not its timestamp) still shows, as a test must see it. Compared field by
  // field: a resend comes from the outbox's stored form, its keys in another order.
  const stored = () => {
    const seen = new Set<string>()
    return delivered().filter((e) => {
      const text = canonical(e)
      return !seen.has(text) && !!seen.add(text)
    })
  }
  return {
    url: `http://127.0.0.1:${port}`,
    batches,
    /** Events in batches the collector accepted (2xx), in arrival order. */
    delivered,
    /** The accepted events a collector that deduplicates keeps: each exact resend once. */
    stored,
    setResponder(r: Responder) {
      responder = r
    },
    async waitFor(pred: (events: Array<Record<string, any>>) => boolean, timeoutMs = 15_000) {
      const start = Date.now()
      while (!pred(delivered())) {
        if (Date.now() - start > timeoutMs) throw new Error(`collector: condition not met in ${timeoutMs} ms; got ${JSON.stringify(delivered().map((e) => e.event ?? e.type))}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      return delivered()
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()) }),
  }
}

/** JSON with every object's keys sorted: the same text for the same data, whatever the order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v))
}
