/**
 * What the runtime needs once, at start, off the eager path: loading the flows document, telling
 * whether it holds anything to show, and the full check of the `init` options. One small chunk,
 * loaded as the runtime starts; the engine follows only when the document needs it.
 */
export { couldShow, loadFlows } from './load-flows'
export { validateInitOptions } from './init-options'
// Whether a broken document needs its console line (the line itself loads only then).
export { countSkipped } from './count-skipped'
export { isFlowsCached } from './flows-cache'
