import type { CoreHost, Engine } from '../engine'

export interface WhyReport {
  id: string
  show: boolean
  reasons: string[]
}

export interface StartedCommands {
  /** `e`: the DOM event a held call was made in (null: none; absent: the one going on now). */
  show(id: string, e?: Event | null): boolean
  /** Shows the flows' cancel flow; without one, tells the vendor's onCancel that it cannot run. */
  cancel(show: (id: string) => boolean): void
  why(id: string): WhyReport
}

/**
 * show(), cancel() and why() once the runtime has started (before that the client waits or
 * answers "loading"): in the start chunk, so their words are not in every page's eager bytes.
 * `engine` is absent when the flows have nothing to show.
 */
export function startedCommands(core: CoreHost, engine: Engine | undefined): StartedCommands {
  const { reportError } = core
  return {
    show(id, e) {
      const owned = engine?.show(id, e) ?? false
      // Known, but another blocking experience holds the screen, or the user's other tab shows
      // it: nothing came here, and a vendor's button can say so (why(id) says which). A false
      // from one held off on purpose (a cancel flow behind its own pause) is no unknown id: the
      // vendor's error monitoring heard "no experience with that id" of one that is there.
      const reasons = engine?.why(id) ?? []
      if (!owned && !reasons.length) reportError({ code: 'unknown-experience', message: `show("${id}"): no experience with that id` })
      return owned && !reasons.some((r) => /^(blocked-by:|shown-in-another-tab)/.test(r))
    },
    cancel(show) {
      const flowId = (core.flows.get() as { cancelFlow?: { id?: string } }).cancelFlow?.id
      if (flowId) return void show(flowId)
      reportError({ code: 'unknown-experience', message: 'cancel(): no valid cancelFlow in the flows config' })
      try {
        ;(core.handlers.onCancel as ((r: unknown) => void) | undefined)?.(null)
      } catch (e) {
        reportError({ code: 'handler-failed', message: `onCancel threw: ${String(e)}` })
      }
    },
    why(id) {
      const reasons = engine?.why(id) ?? []
      return { id, show: reasons.length > 0 && reasons.every((r) => r === 'eligible' || r === 'forced'), reasons: reasons.length ? reasons : ['unknown-experience'] }
    },
  }
}
