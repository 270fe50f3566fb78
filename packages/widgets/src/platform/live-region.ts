import { modalsOpened } from './inert'

/**
 * One pair of live regions (polite, assertive) shared by every widget, inside its own shadow
 * host. Messages are set after a short delay and cleared later, so a repeated message is
 * announced again and screen readers that ignore text present at insertion still hear it.
 */
export interface LiveRegion {
  announce(message: string, politeness?: 'polite' | 'assertive'): void
  remove(): void
}

export function createLiveRegion(root: ShadowRoot, schedule: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms)): LiveRegion {
  const doc = root.ownerDocument
  const regions = { polite: doc.createElement('div'), assertive: doc.createElement('div') }
  for (const kind of ['polite', 'assertive'] as const) {
    const el = regions[kind]
    el.className = 'linger-sr'
    el.setAttribute('aria-live', kind)
    el.setAttribute('aria-atomic', 'true')
    if (kind === 'assertive') el.setAttribute('role', 'alert')
    else el.setAttribute('role', 'status')
    root.append(el)
  }
  // Messages of one moment (a badge earned by the task that finished a checklist) are said
  // together: set one after the other, the first stood for a millisecond and was never read.
  const pending = { polite: [] as Array<[string, number]>, assertive: [] as Array<[string, number]> }
  // A modal opened between a message and its saying (a payment wall just after a banner) made
  // the rest of the page inert, this region aside: the message is of something it now hides, and
  // was heard over the dialog. (Not counted by inert elements: a surface that comes behind an
  // open modal is inert too, and the modal's own message was lost.)
  return {
    announce(message, politeness = 'polite') {
      const kind = politeness === 'assertive' ? politeness : 'polite'
      const el = regions[kind]
      const queue = pending[kind]
      if (queue.push([message, modalsOpened()]) > 1) return
      el.textContent = ''
      const say = () => {
        // In a background tab (a job's events, a banner that came while the user was elsewhere)
        // no one is looking, yet a screen reader may read it over the tab they are in: said
        // once they come to it.
        if (doc.hidden) return void doc.addEventListener('visibilitychange', () => schedule(say, 60), { once: true })
        const now = modalsOpened()
        const said = [...new Set(queue.splice(0).filter((q) => q[1] == now).map((q) => q[0]))]
        if (!said.length) return
        // A full stop between them, where one has none, for the reader's pause.
        const text = said.length > 1 ? said.map((m) => (/[.!?。…]$/.test(m) ? m : m + '.')).join(' ') : said[0]
        el.textContent = text
        schedule(() => {
          if (el.textContent === text) el.textContent = ''
        }, 7000)
      }
      schedule(say, 60)
    },
    remove() {
      regions.polite.remove()
      regions.assertive.remove()
    },
  }
}
