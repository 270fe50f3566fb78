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
  const pending = { polite: [] as string[], assertive: [] as string[] }
  return {
    announce(message, politeness = 'polite') {
      const kind = politeness === 'assertive' ? politeness : 'polite'
      const el = regions[kind]
      const queue = pending[kind]
      if (queue.push(message) > 1) return
      el.textContent = ''
      schedule(() => {
        const said = [...new Set(queue.splice(0))]
        // A full stop between them, where one has none, for the reader's pause.
        const text = said.length > 1 ? said.map((m) => (/[.!?。…]$/.test(m) ? m : m + '.')).join(' ') : said[0]
        el.textContent = text
        schedule(() => {
          if (el.textContent === text) el.textContent = ''
        }, 7000)
      }, 60)
    },
    remove() {
      regions.polite.remove()
      regions.assertive.remove()
    },
  }
}
