import type { CoreHost } from '../engine'

/**
 * The script-tag runtime's widgets mount is fetched beside the engine and can land after it.
 * Until it is in, what starts on its own waits for it (a trigger at ready found no screen to ask,
 * and opened over the page's dialog, or in a background tab), and so does a Shown (nothing could
 * draw it yet). Once the mount is in, or failed, each is asked again, of the mount's screen (or of
 * none). The experiences start meanwhile: ready does not wait for the widgets.
 */
export function holdScreen(host: CoreHost, mounting: Promise<unknown>): void {
  const waits: Array<() => void> = []
  const hold = (then: () => void) => !!waits.push(then)
  const screen: NonNullable<CoreHost['screen']> = { held: true, when: (fn, priority) => void hold(() => (host.screen ? host.screen.when(fn, priority) : fn())), typing: hold, away: hold }
  const undrawn: NonNullable<CoreHost['undrawn']> = (kind, then) => hold(() => host.undrawn?.(kind, then) || then())
  Object.assign(host, { screen, undrawn })
  const release = () => {
    if (host.screen === screen) delete host.screen
    if (host.undrawn === undrawn) delete host.undrawn
    // Each on its own (as the widgets' screen.ts): one that throws must neither keep the others
    // waiting for good nor reject into the page.
    waits.splice(0).forEach((fn) => {
      try {
        fn()
      } catch (e) {
        host.reportError({ code: 'experience-failed', message: String(e) })
      }
    })
  }
  mounting.then(release, release)
}
