/**
 * What the runtime needs once, at start, off the eager path: loading the flows document, telling
 * whether it holds anything to show, the full check of the `init` options, the experience state
 * (only experiences and progress sync read it), and sending events on a schedule (the eager
 * runtime only queues them). One small chunk, loaded as the runtime starts; the engine follows
 * only when the document needs it.
 */
export { startRuntime } from './start'
export { createExperienceState } from '../experience-state'
export { startedCommands } from './started-commands'
export { createSender } from '../transport/sender'

// Loaded from here, not from the eager runtime: the bundler then knows this chunk is in the page
// whenever the sync's is, and leaves what both use (state-join.ts) here instead of in a third
// file every page would fetch.
export const stateSync = () => import('../sync/state-sync')
