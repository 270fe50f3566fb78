import type { HttpRequest, HttpResponse, Platform } from '../platform'
import { ANSWER_MAX_BYTES } from './classify'

/** What the sender needs of a dedicated worker: a fake one stands in for it in tests. */
export interface WorkerLike {
  postMessage(message: unknown): void
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: unknown) => void) | null
  terminate(): void
}

type Send = (url: string, init: HttpRequest) => Promise<HttpResponse>
/**
 * A reply: [id, status, the headers the page may read, and the body of a 2xx when it is small JSON
 * (what the sender reads)], or [id] for a network error or a timeout.
 */
type Reply = [number, number?, [string, string][]?, string?]

/**
 * The worker's whole program. Through it, a request costs the page's main thread a message each
 * way (0.45–0.7 ms with the harness's own task, bench/fetch-body.mjs); from the page, 1.5–4.4 ms
 * (1 to 250 events), which for an app that tracks an event every few seconds is most of what
 * Linger costs it. Text, not a file: the runtime's files come from the vendor's CDN, and a
 * worker's script must be of the page's origin. It answers as soon as the headers are in, as the
 * page's own request does, but for the body of a 2xx that is small JSON (the events the collector
 * refused); one that stalls is given up at the deadline, the answer still a 2xx (it must not make
 * the batch a retry). It gives up at the deadline the page posted (an absolute time: a worker slow
 * to start does not stretch it).
 */
export const WORKER_SOURCE = `onmessage=async({data:[i,u,o,d]})=>{const c=new AbortController,k=setTimeout(()=>c.abort(),d-Date.now());let r=[i],s,h,n;try{s=await fetch(u,{...o,signal:c.signal});h=s.headers;n=h.get("Content-Length");r=[i,s.status,[...h]];s.status<500&&/json/i.test(h.get("Content-Type"))&&n&&n<=${ANSWER_MAX_BYTES}&&r.push(await s.text())}catch{}clearTimeout(k);postMessage(r)}`

/** How long after making the worker a policy's report of it is listened for. */
const REPORTS_WITHIN_MS = 10_000

/**
 * The browser's dedicated worker running WORKER_SOURCE, from a `blob:` URL. Throws where the page
 * forbids it (Trusted Types); a Content Security Policy without `blob:` for workers makes it
 * fail later, with an error event. A report-only policy lets it run but reports it on every page
 * view: its violation, heard here, is passed on as that error, so it counts as a refusal too.
 */
export function spawnRequestWorker(): WorkerLike {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }))
  let worker: WorkerLike | undefined
  // Of the worker: a report of the host's own blob: image in those seconds turned sending from
  // the worker off for 30 days. (Browsers name worker-src, or the directive it fell back to.)
  const reported = (e: SecurityPolicyViolationEvent) => e.blockedURI.startsWith('blob') && /^(worker|child|script)/.test(e.effectiveDirective) && (stop(), worker?.onerror?.(e))
  const stop = () => document.removeEventListener('securitypolicyviolation', reported)
  document.addEventListener('securitypolicyviolation', reported)
  setTimeout(stop, REPORTS_WITHIN_MS)
  try {
    return (worker = new Worker(url) as unknown as WorkerLike)
  } catch (e) {
    stop()
    throw e
  } finally {
    // Chromium, Firefox and Safari resolve a blob URL as the worker is constructed.
    URL.revokeObjectURL(url)
  }
}

/** Where a browser that could not make the worker says so, with when. */
export const REFUSED_KEY = 'linger:worker-refused'
/** How long that holds: a page's policy changes seldom, and each refusal is a report to the vendor. */
export const REFUSED_FOR_MS = 30 * 86_400_000

/**
 * Sends normal (not keepalive) requests from a dedicated worker, made on the first one. Where a
 * worker cannot be made or fails (a Content Security Policy without `blob:`, Trusted Types), the
 * page's own `request` sends them, that one and every later one: the requests the worker had not
 * answered go again from the page (the collector drops a copy by its messageIds). The browser
 * remembers the refusal for REFUSED_FOR_MS, so a page whose policy reports violations to the
 * vendor sends one such report, not one per page view. A request unanswered after its timeout
 * (and a second) fails, as a page request that timed out does.
 */
export function offThread(platform: Pick<Platform, 'request' | 'setTimeout' | 'clearTimeout' | 'storage' | 'now'>, spawn: () => WorkerLike): { request: Send; close(): void } {
  let worker: WorkerLike | null | undefined
  let next = 0
  let closed = false
  // A worker that has answered once is working: one that never has, silent past a timeout, is
  // taken for refused (a host's wrapper of Worker, a worker the browser stopped).
  let answered = false
  const waiting = new Map<number, (reply: Reply | null) => void>()

  const byPage: Send = (url, init) => platform.request(url, init)
  function fail(e?: unknown) {
    // Not the host's error: kept from its window.onerror and console.
    ;(e as Event | undefined)?.preventDefault?.()
    worker?.terminate()
    worker = null
    platform.storage.set(REFUSED_KEY, String(platform.now()))
    const all = [...waiting.values()]
    waiting.clear()
    for (const done of all) done(null)
  }
  function made(): WorkerLike | null {
    if (worker !== undefined) return worker
    // A time in the future (a clock set back since) is no refusal, nor is a value that is no time.
    const age = platform.now() - Number(platform.storage.get(REFUSED_KEY))
    if (age >= 0 && age < REFUSED_FOR_MS) return (worker = null)
    try {
      worker = spawn()
      worker.onmessage = ({ data }) => {
        answered = true
        waiting.get((data as Reply)[0])?.(data as Reply)
      }
      worker.onerror = fail
    } catch {
      fail()
    }
    return worker ?? null
  }

  return {
    request(url, init) {
      const w = init.keepalive ? null : made()
      if (!w) return byPage(url, init)
      const id = ++next
      const timeoutMs = init.timeoutMs ?? 30_000
      return new Promise<HttpResponse>((resolve, reject) => {
        const timer = platform.setTimeout(() => (answered ? waiting.get(id)?.([id]) : fail()), timeoutMs + 1000)
        waiting.set(id, (reply) => {
          waiting.delete(id)
          platform.clearTimeout(timer)
          if (closed && !waiting.size) worker?.terminate()
          // The worker is gone: this request goes from the page.
          if (!reply) return void byPage(url, init).then(resolve, reject)
          const [, status, headers, body = ''] = reply
          if (status === undefined) reject(new Error('request failed'))
          else resolve({ status, headers: new Headers(headers), text: async () => body })
        })
        w.postMessage([id, url, { method: init.method, headers: init.headers, body: init.body, credentials: 'omit', mode: 'cors' }, platform.now() + timeoutMs])
      })
    },
    close() {
      closed = true
      if (worker && !waiting.size) worker.terminate()
    },
  }
}
