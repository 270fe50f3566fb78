/**
 * What the runtime needs once, at start, off the eager path: loading the flows document, telling
 * whether it holds anything to show, the full check of the `init` options, the experience state
 * (only experiences and progress sync read it), and sending events on a schedule (the eager
 * runtime only queues them). One small chunk, loaded as the runtime starts; the engine follows
 * only when the document needs it.
 */
import { startRuntime } from './start'
import { createExperienceState } from '../experience-state'
import { startedCommands } from './started-commands'
import { createSender } from '../transport/sender'

/**
 * The runtime takes this chunk's functions as one object made here. Taking the module itself (a
 * value kept and passed on) had the bundler build its namespace at run time, a getter per export
 * and the helper that makes them: ~120 B gzip more in a chunk every page loads before ready.
 */
export const start = {
  startRuntime,
  createExperienceState,
  startedCommands,
  createSender,
  // Loaded from here, not from the eager runtime: the bundler then knows this chunk is in the
  // page whenever the sync's is, and leaves what both use (state-join.ts) here instead of in a
  // third file every page would fetch.
  stateSync: () => import('../sync/state-sync'),
}
