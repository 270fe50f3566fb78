import type { CallSite, Linger } from '../client'

/** Every command the runtime takes, by name (the snippet's `linger.track(…)` methods too). */
export const COMMANDS = ['init', 'identify', 'track', 'page', 'group', 'reset', 'show', 'cancel', 'on', 'off', 'optOut', 'optIn', 'why', 'flush']

/**
 * One call as the snippet queued it: [[method, ...args], time, href, title, event, settled href,
 * settled title]. `event`: the DOM event it was called in (window.event; a snippet pasted before
 * it was recorded has none). init's also has the page as its task ended (CallSite `settled`).
 */
export type QueuedCall = [unknown[], number, string, string, unknown?, string?, string?]

/** A queued call's site (tests; the runtime stamps calls itself, by the smaller `stamp`). */
export const siteOf = ([, ...at]: QueuedCall, referrer: string) => stamp(referrer, ...at)

/** What the snippet saw of a call (its time, href, title and event), as the envelope wants it. */
function stamp(referrer: string, time: number, href: string, title: string, event?: unknown, settled?: string, settledTitle?: string): CallSite {
  const site: CallSite = { time, event: event as Event | undefined }
  try {
    const u = new URL(href)
    site.page = { url: href, path: u.pathname, search: u.search, hash: u.hash, title, referrer }
  } catch {}
  if (settled) site.settled = stamp(referrer, time, settled, settledTitle!).page
  return site
}

/**
 * A plain object as it is now (its top level, as the snippet copies what it queues): one the host
 * changes before a late init (cart.items++, then track again) says what it said when tracked. A
 * reference to itself stays one (to the copy), reported as [Circular].
 */
function asNow(x: unknown) {
  try {
    if ((x as object).constructor != Object) return x
    const c: Record<string, unknown> = { ...(x as object) }
    for (const k in c) if (c[k] === x) c[k] = c
    return c
  } catch {
    return x
  }
}

/**
 * The script-tag front: `linger('track', …)` and `linger.track(…)` both work before and after
 * the runtime loads. Calls before `init` wait for it, in order; `create` runs at the first init.
 */
export function createFront(create: (options: unknown, site: CallSite, queued: Array<[string, unknown[], CallSite]>) => Linger, referrer: string, log: (msg: string) => void) {
  let client: Linger | undefined
  const waiting: Array<[string, unknown[], CallSite]> = []

  // A call made here before init (the runtime came first, init later) waits: stamped now, with
  // this page and event, as the snippet stamps what it queues, or it would go out as made at
  // init, there (and a click made meanwhile would no longer be the user's).
  const here = (): CallSite => {
    try {
      return stamp(referrer, Date.now(), location.href, document.title, (globalThis as CallSite).event)
    } catch {
      return {}
    }
  }

  function run(method: string, args: unknown[], site?: CallSite): unknown {
    // Once running, every call goes to the client (a second init too, which ignores it).
    if (client) return client.call(method, args, site)
    if (method !== 'init') {
      // As the snippet answers it (nothing shows while loading): a host reads `.reasons` at once.
      if (method === 'why') return { id: args[0], show: false, reasons: ['loading'] }
      waiting.push([method, args.map(asNow), site ?? here()])
      // flush() is a promise in every state (a host chains .then() on it before navigating):
      // before init there is nothing to send.
      return method === 'flush' ? Promise.resolve() : undefined
    }
    try {
      // The calls made before init go with it (createLinger runs them before init's page view).
      client = create(args[0], site ?? {}, waiting)
    } catch (e) {
      log(`init failed: ${String(e)}`)
      return undefined
    }
    // Those it did not take, and those made meanwhile.
    waiting.splice(0).forEach(([m, a, s]) => client!.call(m, a, s))
    return undefined
  }

  // A name that cannot be read as text (no toString) is no command, reported as such by the
  // client: thrown, it would take every call queued after it, init too.
  const nameOf = (m: unknown) => {
    try {
      return String(m)
    } catch {
      return ''
    }
  }
  const front = function (method: unknown, ...args: unknown[]) {
    return run(nameOf(method), args)
  } as ((method: string, ...args: unknown[]) => unknown) & Record<string, unknown>
  for (const m of COMMANDS) {
    front[m] = (...args: unknown[]) => run(m, args)
  }
  return {
    front,
    replay(queue: QueuedCall[]) {
      for (const [[method, ...args], ...at] of queue) run(nameOf(method), args, stamp(referrer, ...at))
    },
    client: () => client,
  }
}
