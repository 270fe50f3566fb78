import { describe, expect, it } from 'vitest'
import { createFakePlatform, type FakePlatform } from '../fake-platform'
import type { HttpRequest } from '../platform'
import { offThread, REFUSED_FOR_MS, REFUSED_KEY, WORKER_SOURCE, type WorkerLike } from './off-thread'

const URL_ = 'https://collect.example.com/v1/batch'
const init = (more: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"batch":[]}', timeoutMs: 10_000, ...more })
const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0))
}

/**
 * A worker running the real WORKER_SOURCE, with the network the test scripts: what the page posts
 * reaches the program as a structured clone would, and what it posts back comes as a message.
 */
function realProgram(answer: (url: string, init: RequestInit) => Promise<Response>, clock: { now(): number } = Date) {
  const seen: Array<{ url: string; init: RequestInit }> = []
  const worker: WorkerLike & { terminated: boolean } = {
    onmessage: null,
    onerror: null,
    terminated: false,
    postMessage(message) {
      const data = structuredClone(message)
      void Promise.resolve().then(() => handler({ data }))
    },
    terminate() {
      worker.terminated = true
    },
  }
  const fetchIn = (url: string, init: RequestInit) => (seen.push({ url, init }), answer(url, init))
  const postMessage = (data: unknown) => void Promise.resolve().then(() => worker.onmessage?.({ data: structuredClone(data) }))
  // Its clock is the page's (the deadline it gets is the page's time): the fake one in these tests.
  const handler = new Function('fetch', 'postMessage', 'Date', `let onmessage;${WORKER_SOURCE};return onmessage`)(fetchIn, postMessage, clock) as (e: { data: unknown }) => void
  return { worker, seen }
}

/** A 10 s request's outcome just before and at a second past its timeout. */
async function outcomes(p: FakePlatform, request: Promise<{ status: number }>): Promise<string[]> {
  let outcome = 'pending'
  request.then((r) => (outcome = `answered ${r.status}`), () => (outcome = 'failed'))
  const seen: string[] = []
  for (const ms of [10_999, 1]) {
    await p.advance(ms)
    await turns()
    seen.push(outcome)
  }
  return seen
}

function setup(spawn: () => WorkerLike, p: FakePlatform = createFakePlatform()) {
  const page: string[] = []
  const respond = p.respond
  p.respond = (req) => (page.push(req.url), respond(req))
  return { p, page, requests: offThread(p, spawn) }
}

describe('sending from a worker (`sendFromWorker: true`)', () => {
  it('a batch leaves from the worker, and its answer (status, Retry-After) comes back as a page request’s would', async () => {
    const { worker, seen } = realProgram(async () => new Response('{}', { status: 429, headers: { 'Retry-After': '7' } }))
    const { page, requests } = setup(() => worker)
    const res = await requests.request(URL_, init())
    expect(res.status).toBe(429)
    expect(res.headers.get('Retry-After')).toBe('7')
    expect(res.headers.get('retry-after')).toBe('7')
    expect(page).toEqual([])
    // What the collector gets: the same method, headers and body, no cookies, CORS.
    expect(seen).toHaveLength(1)
    expect(seen[0].url).toBe(URL_)
    expect(seen[0].init).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"batch":[]}', credentials: 'omit', mode: 'cors' })
  })

  it('a 2xx that lists refused events brings its small JSON body to the page, to be reported as a page request’s is', async () => {
    const body = JSON.stringify({ ok: true, accepted: 1, duplicates: 0, rejected: [{ index: 1, messageId: 'm2', errors: ['context.userHash: does not match userId'] }] })
    const json = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length) }
    const { worker } = realProgram(async () => new Response(body, { status: 200, headers: json }))
    const { requests } = setup(() => worker)
    const res = await requests.request(URL_, init())
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(json['Content-Type'])
    expect(res.headers.get('content-length')).toBe(json['Content-Length'])
    expect(await res.text!()).toBe(body)
  })

  it('a 400 whose small JSON body names the refused events brings it to the page too (the page reads which and why, and does not split the batch)', async () => {
    const body = JSON.stringify({ ok: false, accepted: 0, duplicates: 0, rejected: [{ index: 0, messageId: 'm1', errors: ['context.userHash: does not match userId'] }] })
    const json = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length) }
    const { worker } = realProgram(async () => new Response(body, { status: 400, headers: json }))
    const { requests } = setup(() => worker)
    const res = await requests.request(URL_, init())
    expect(res.status).toBe(400)
    expect(await res.text!()).toBe(body)
  })

  it('a body that is not small JSON is not read in the worker, nor brought to the page', async () => {
    let read = 0
    const answer = (headers: Record<string, string>) => async () => {
      const res = new Response('{"rejected":[]}', { status: 200, headers })
      return Object.assign(res, { text: () => (read++, Promise.resolve('{"rejected":[]}')) })
    }
    const unread: Array<Record<string, string>> = [{ 'Content-Type': 'text/html', 'Content-Length': '15' }, { 'Content-Type': 'application/json', 'Content-Length': '10000000' }, { 'Content-Type': 'application/json' }]
    for (const headers of unread) {
      const { worker } = realProgram(answer(headers))
      const { requests } = setup(() => worker)
      expect((await requests.request(URL_, init())).status).toBe(200)
      await turns()
    }
    expect(read).toBe(0)
  })

  it('a network error in the worker fails the request, so its events are retried as after a page request’s failure', async () => {
    const { worker } = realProgram(async () => {
      throw new TypeError('Failed to fetch')
    })
    const { page, requests } = setup(() => worker)
    await expect(requests.request(URL_, init())).rejects.toThrow()
    expect(page).toEqual([])
  })

  it('the worker gives up on a collector that does not answer by the deadline', async () => {
    // The program's own abort: a real timer of 30 ms, a collector that never answers until aborted.
    const p = createFakePlatform()
    const { worker } = realProgram((_, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new Error('aborted')))), p)
    const { requests } = setup(() => worker, p)
    await expect(requests.request(URL_, init({ timeoutMs: 30 }))).rejects.toThrow()
  })

  it('a 2xx counts once its headers are in, however its body stalls (as a page request’s does)', async () => {
    const p = createFakePlatform()
    const stalled = new ReadableStream({ start() {} })
    const { worker } = realProgram(async () => new Response(stalled, { status: 200 }), p)
    const { requests } = setup(() => worker, p)
    expect((await requests.request(URL_, init({ timeoutMs: 30 }))).status).toBe(200)
  })

  it('a 2xx whose small JSON body breaks off (or is given up at the deadline) is still a 2xx, never a retry', async () => {
    const { worker } = realProgram(async () => {
      const res = new Response('{"rejected":', { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '40' } })
      return Object.assign(res, { text: () => Promise.reject(new DOMException('aborted', 'AbortError')) })
    })
    const { page, requests } = setup(() => worker)
    const res = await requests.request(URL_, init())
    expect(res.status).toBe(200)
    expect(await res.text!()).toBe('')
    expect(page).toEqual([])
  })

  it('a worker that has answered before but goes silent fails the request a second after its timeout, as the page’s own would', async () => {
    let silent = false
    const { worker } = realProgram(async () => new Response('{}'))
    const post = worker.postMessage.bind(worker)
    worker.postMessage = (m) => void (silent || post(m))
    const { p, page, requests } = setup(() => worker)
    expect((await requests.request(URL_, init())).status).toBe(200)
    silent = true
    expect(await outcomes(p, requests.request(URL_, init({ timeoutMs: 10_000 })))).toEqual(['pending', 'failed'])
    expect(page).toEqual([])
  })

  it('a worker that never answers at all is taken for refused: its requests go from the page a second after their timeout', async () => {
    const silent: WorkerLike = { onmessage: null, onerror: null, postMessage() {}, terminate() {} }
    const { p, page, requests } = setup(() => silent)
    expect(await outcomes(p, requests.request(URL_, init({ timeoutMs: 10_000 })))).toEqual(['pending', 'answered 200'])
    expect(page).toEqual([URL_])
    expect(p.storage.get(REFUSED_KEY)).toBe(String(p.now()))
  })

  it('keepalive requests (a page going away) leave from the page: a worker dies with it', async () => {
    let spawned = 0
    const { page, requests } = setup(() => (spawned++, realProgram(async () => new Response('{}')).worker))
    const res = await requests.request(URL_, init({ keepalive: true }))
    expect(res.status).toBe(200)
    expect(page).toEqual([URL_])
    expect(spawned).toBe(0)
  })

  it('where no worker can be made (Trusted Types, no Worker), the page sends, and the browser remembers it for 30 days', async () => {
    let tries = 0
    const refuse = () => {
      tries++
      throw new TypeError('This document requires TrustedScriptURL assignment')
    }
    const p = createFakePlatform()
    const first = setup(refuse, p)
    expect((await first.requests.request(URL_, init())).status).toBe(200)
    expect((await first.requests.request(URL_, init())).status).toBe(200)
    expect(first.page).toEqual([URL_, URL_])
    expect(tries).toBe(1)
    expect(p.storage.get(REFUSED_KEY)).toBe(String(p.now()))
    // The next page view in that browser does not try again (each try is a report to the vendor)…
    await p.advance(REFUSED_FOR_MS - 1)
    await setup(refuse, p).requests.request(URL_, init())
    expect(tries).toBe(1)
    // …until a month has passed: the page's policy may have changed.
    await p.advance(1)
    await setup(refuse, p).requests.request(URL_, init())
    expect(tries).toBe(2)
  })

  it('a refusal dated in the future (the clock was ahead) or unreadable does not stop the worker', async () => {
    for (const stored of [String(Date.parse('2027-01-01T00:00:00Z')), 'Infinity', 'garbage']) {
      const p = createFakePlatform()
      p.storage.set(REFUSED_KEY, stored)
      let spawned = 0
      const { page, requests } = setup(() => (spawned++, realProgram(async () => new Response('{}'), p).worker), p)
      expect((await requests.request(URL_, init())).status).toBe(200)
      expect([stored, spawned, page.length]).toEqual([stored, 1, 0])
    }
  })

  it('a worker the page’s policy refuses later (an error event) hands its unanswered requests to the page: each leaves once', async () => {
    const refused: WorkerLike & { terminated?: boolean } = { onmessage: null, onerror: null, postMessage() {}, terminate: () => void (refused.terminated = true) }
    const { p, page, requests } = setup(() => refused)
    const a = requests.request(URL_, init({ body: '{"batch":[1]}' }))
    const b = requests.request(URL_, init({ body: '{"batch":[2]}' }))
    expect(page).toEqual([])
    refused.onerror!(new Event('error'))
    expect((await a).status).toBe(200)
    expect((await b).status).toBe(200)
    expect(p.requests.map((r) => r.body.batch)).toEqual([[1], [2]])
    expect(refused.terminated).toBe(true)
    expect(p.storage.get(REFUSED_KEY)).not.toBeNull()
    // Later requests go from the page straight away.
    await requests.request(URL_, init({ body: '{"batch":[3]}' }))
    expect(p.requests.map((r) => r.body.batch)).toEqual([[1], [2], [3]])
  })

  it('close() ends the worker once its last request is answered, not before', async () => {
    let release!: () => void
    const { worker } = realProgram(() => new Promise((r) => (release = () => r(new Response('{}')))))
    const { requests } = setup(() => worker)
    const sent = requests.request(URL_, init())
    await turns()
    requests.close()
    expect(worker.terminated).toBe(false)
    release()
    expect((await sent).status).toBe(200)
    await turns()
    expect(worker.terminated).toBe(true)
  })
})
