import { modalsOpened } from './inert'

/**
 * One pair of live regions (polite, assertive) shared by every widget, inside its own shadow
 * host. Messages are set after a short delay and cleared later, so a repeated message is
 * announced again and screen readers that ignore text present at insertion still hear it.
 */
export interface LiveRegion {
  /**
   * `seen`, asked as the message is to be said: whether what it tells of is in sight (false: it
   * waits for `again()`), or gone (undefined: dropped). Without it, one queued before a modal of
   * ours opened is dropped.
   */
  announce(message: string, politeness?: 'polite' | 'assertive', seen?: () => boolean | undefined): void
  /** What waited out of sight is asked again (a modal went). */
  again(): void
  /** What it kept and had yet to say, for the region made after it (it says none of it then). */
  take(): Kept
  remove(): void
}

type Said = [message: string, since: number, seen?: () => boolean | undefined]
export type Kept = Array<[Said, 'polite' | 'assertive']>

/**
 * `from`: the region this one replaces (the page's own modal dialog makes a region outside it
 * unheard, and the next message makes one inside it): what it kept for after a modal, or had not
 * said yet, is said here. Only the same platform's: one mounted after another's unmount (the next
 * user's) must not say what the last one had left.
 */
export function createLiveRegion(root: ShadowRoot, schedule: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms), from?: LiveRegion): LiveRegion {
  const doc = root.ownerDocument
  const regions = { polite: doc.createElement('div'), assertive: doc.createElement('div') }
  for (const kind of ['polite', 'assertive'] as const) {
    const el = regions[kind]
    el.className = 'linger-sr'
    el.setAttribute('aria-live', kind)
    el.setAttribute('aria-atomic', 'true')
    el.setAttribute('role', kind === 'assertive' ? 'alert' : 'status')
    root.append(el)
  }
  // Messages of one moment (a badge earned by the task that finished a checklist) are said
  // together: set one after the other, the first stood for a millisecond and was never read.
  const pending = { polite: [] as Said[], assertive: [] as Said[] }
  const held: Kept = []
  // A modal opened between a message and its saying (a payment wall just after a banner) makes
  // the rest of the page inert, this region aside: a message of something it now hides was heard
  // over the dialog. `seen` (the surface that told it) says whether it is in sight; without one,
  // a message queued before one of our modals opened is dropped.
  const queue = (q: Said, kind: 'polite' | 'assertive') => {
    const el = regions[kind]
    const list = pending[kind]
    if (list.push(q) > 1) return
    el.textContent = ''
    const say = () => {
      // In a background tab (a job's events, a banner that came while the user was elsewhere)
      // no one is looking, yet a screen reader may read it over the tab they are in: said
      // once they come to it.
      if (doc.hidden) return void doc.addEventListener('visibilitychange', () => schedule(say, 60), { once: true })
      const now = modalsOpened()
      // A banner that came behind a modal, or that one covered before it was said, is said once
      // it is in sight (again()): it was heard over the modal, or never, even after the wall went.
      const said = [
        ...new Set(
          list
            .splice(0)
            .filter((q) => {
              const v = q[2] ? q[2]() : q[1] == now
              if (q[2] && v === false) held.push([q, kind])
              return v
            })
            .map((q) => q[0]),
        ),
      ]
      if (!said.length) return
      // A full stop between them, where one has none, for the reader's pause.
      const text = said.length > 1 ? said.map((m) => (/[.!?。…]$/.test(m) ? m : m + '.')).join(' ') : said[0]
      el.textContent = text
      schedule(() => {
        if (el.textContent === text) el.textContent = ''
      }, 7000)
    }
    schedule(say, 60)
  }
  const region: LiveRegion = {
    again: () => held.splice(0).forEach(([q, kind]) => queue(q, kind)),
    take: () => [...held.splice(0), ...(['polite', 'assertive'] as const).flatMap((kind) => pending[kind].splice(0).map((q) => [q, kind] as Kept[number]))],
    announce: (message, politeness, seen) => queue([message, modalsOpened(), seen], politeness === 'assertive' ? politeness : 'polite'),
    remove() {
      regions.polite.remove()
      regions.assertive.remove()
    },
  }
  from?.take().forEach(([q, kind]) => queue(q, kind))
  return region
}
