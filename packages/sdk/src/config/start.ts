import type { Engine, EngineInput } from '../engine'
import type { Properties } from '../events'
import { userKey, type Identity } from '../identity'
import type { InitOptions } from './init-options'
import { validateInitOptions } from './init-options'
import { couldShow, loadFlows, type LoadedFlows } from './load-flows'
import { countSkipped } from './count-skipped'
import { cachedFlowsOf, lastCachedFlows } from './flows-cache'
import { usesAnyKind } from '../experience-kinds'
import { holdScreen } from './hold-screen'

export interface StartInput extends Omit<EngineInput, 'raw' | 'who'> {
  /** The current identity (it changes with identify, group and reset). */
  identity(): Identity
  rawOptions: unknown
  /** The page's http(s) origin (client.ts), '' for none: where a refused endpoint's events go. */
  origin?: string
  options: Partial<Pick<InitOptions, 'flows' | 'flowsTimeoutMs' | 'debug'>>
  /** Before the engine: a verified user's progress from their other devices (briefly). */
  beforeEngine(): Promise<unknown>
  /** As the engine starts loading: the script-tag runtime fetches its widget mounting beside it (until that settled, the screen waits for it). */
  onEngine(): unknown
}

/**
 * The runtime's start, off the eager path: the full check of the init options, loading the flows
 * document, and the engine only when the document has something to show. Resolves with the
 * engine (undefined when nothing could show); errors are reported through the core host.
 */
export async function startRuntime(input: StartInput): Promise<Engine | undefined> {
  const { options, core } = input
  const { platform, reportError } = core
  const { options: usable, errors } = validateInitOptions(input.rawOptions, input.origin)
  errors.forEach((e) => reportError({ code: 'invalid-option', message: e.message, details: e }))
  // No usable key (`init('pk_…')`, the key alone, among them): nothing will ever be sent, so the
  // console says why even without debug mode (which such options may not even turn on); once, not
  // also for a client already destroyed (React Strict Mode's first mount), which says nothing.
  // So does an endpoint that is no http(s) URL: every event goes elsewhere (the page's own origin, or nowhere).
  const loud = errors.find((e) => (usable ? e.path === 'endpoint' : e.path === '' || e.path === 'key'))
  if (loud && !options.debug && input.live?.() !== false) platform.log('warn', loud.message)
  // A flows URL refused just above (javascript:, data:…) is not loaded: loadFlows would report
  // it a second time, in other words. It is the document that could not be used all the same.
  const refused = errors.find((e) => e.path === 'flows')
  // A returning page almost always gets the same document again: the engine (and with it the
  // controllers) it ran last time loads while the document is fetched, not after it.
  const last = options.flows === undefined ? undefined : lastCachedFlows(platform.storage)
  if (last?.validation && usesAnyKind(last.validation.flows)) import('../engine').catch(() => {})
  const loaded: LoadedFlows | undefined =
    options.flows === undefined ? undefined
    : refused ? { ok: false, error: { code: 'invalid-option', message: refused.message, details: refused } }
    : await loadFlows(options.flows as object | string, platform, options.flowsTimeoutMs ?? 5000)
  // Destroyed while it waited: nothing more loads, mounts, starts or says anything for it.
  const gone = () => input.live?.() === false
  if (gone()) return
  if (loaded && !loaded.ok && !refused) reportError(loaded.error)
  const raw = loaded?.ok ? loaded.value : undefined
  let engine: Engine | undefined
  // Nothing to show, nothing to report: the engine stays out of the page.
  if (couldShow(raw)) {
    // Needed whatever comes next: asked for now, so it arrives while a verified user's progress
    // is on its way and the document is hashed, not after them. (Caught here too: a failure is
    // reported once awaited below, never as an unhandled rejection in the host page.)
    const mod = import('../engine')
    mod.catch(() => {})
    // A checklist finished on the laptop must not flash up on the phone.
    await input.beforeEngine()
    const cached = await cachedFlowsOf(platform.storage, raw, last)
    if (gone()) return
    // A document not validated before needs the validation chunk too: fetched beside the engine.
    if (!cached.validation) import('./validate-flows').catch(() => {})
    const mounting = input.onEngine()
    if (mounting instanceof Promise) holdScreen(core, mounting)
    engine = await (await mod).startEngine({ ...input, raw, cached, who: audienceUser(input.identity) })
  } else if (loaded?.ok && last?.key) platform.storage.remove(last.key)
  // (That last: a document with nothing to show now, the vendor having taken every experience out.
  // The validation kept for the one before would have every later visit fetch the engine for nothing.)
  // Debug mode already logged each problem; otherwise one line says that something is wrong.
  const failed = loaded && !loaded.ok ? loaded.error : undefined
  const counted = countSkipped(raw, core.flows.get())
  // A version this release does not know is read as version 1: said too, not only in debug mode.
  if (!options.debug && (failed || counted.skipped || ((raw as { version?: unknown } | null)?.version ?? 1) !== 1)) {
    const notice = (await import('./config-notice')).configNotice(failed, counted, raw)
    if (notice) platform.log('warn', notice)
  }
  return engine
}

/**
 * The user as audience rules see them: user and group traits as one object, the same one until
 * the identity changes, so a cached verdict can tell by identity whether its traits are current.
 */
function audienceUser(identity: () => Identity): () => { userKey: string; traits: Properties } {
  let seenIdentity: Identity | undefined
  let seen = { userKey: '', traits: {} as Properties }
  return () => {
    const id = identity()
    if (seenIdentity !== id) {
      seenIdentity = id
      seen = { userKey: userKey(id), traits: { ...id.groupTraits, ...id.traits } }
    }
    return seen
  }
}
