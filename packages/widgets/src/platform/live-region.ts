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
  return {
    announce(message, politeness = 'polite') {
      const el = regions[politeness] ?? regions.polite
      el.textContent = ''
      schedule(() => {
        el.textContent = message
        schedule(() => {
          if (el.textContent === message) el.textContent = ''
        }, 7000)
      }, 60)
    },
    remove() {
      regions.polite.remove()
      regions.assertive.remove()
    },
  }
}
