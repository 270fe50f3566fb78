/**
 * A re-entrancy guard for controllers whose work emits events that trigger the same work (a
 * task completes → its event → another check): a call made while a pass runs asks for one more
 * pass instead of nesting inside it.
 */
export function createSettler(pass: () => void) {
  let busy = false
  let again = false
  return {
    /** Runs passes until one asks for no more. False when called from inside a pass (deferred). */
    run(): boolean {
      if (busy) return !(again = true)
      busy = true
      try {
        do {
          again = false
          pass()
        } while (again)
      } finally {
        busy = false
      }
      return true
    },
    /**
     * Runs `fn` as part of a pass, so the events it emits only ask for another one. True when
     * this was the outermost call and more was asked for: the caller should run() now.
     */
    within(fn: () => void): boolean {
      const outer = busy
      busy = true
      try {
        fn()
      } finally {
        busy = outer
      }
      return !outer && again
    },
  }
}
