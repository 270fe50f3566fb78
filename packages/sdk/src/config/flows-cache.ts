import { LIBRARY_VERSION } from '../events'
import { fromJson, toJson } from '../json'
import type { KeyValueStorage } from '../platform'
import type { Flows } from './flows-schema'
import type { FlowsValidation } from './validate-flows'

/**
 * The validated flows, kept per document: a returning page with the same document (same text,
 * same validator) skips building the schemas and validating, and reports the same errors.
 * One document is kept per origin; a new one replaces it.
 */
const PREFIX = 'linger:flows:'

/**
 * What a cached validation and a checked document's stamp were made by: the release, and the
 * revision of validation within it. A change to what validation accepts bumps the revision
 * (check-flows.test.ts pins the validator's sources and zod's version to it), so stamps and
 * cached validations made before are validated again instead of trusted.
 */
export const VALIDATOR = `${LIBRARY_VERSION}+19`

/**
 * The document's digest: SHA-1 by the browser's own crypto, off the main thread (hashing a
 * flows document in script cost ~3 ms of every page load, most of it before V8 optimised the
 * loop); where there is none (an http page, which is not a secure context) the script hash.
 */
export async function digestText(text: string): Promise<string> {
  try {
    const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(text)))
    let hex = ''
    for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16)
    return hex
  } catch {
    return hashText(text)
  }
}

/** cyrb53: a fast 53-bit string hash; collisions between two flows documents are not a concern. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

export const flowsCacheKey = async (text: string): Promise<string> => `${PREFIX}${VALIDATOR}:${await digestText(text)}`

// Each a list of objects in every validation (the others are absent or one too).
const LISTS = ['checklists', 'tours', 'badges', 'levels', 'surveys']
const objects = (list: unknown) => Array.isArray(list) && list.every((item) => item && typeof item === 'object')

export function readCachedFlows(storage: KeyValueStorage, key: string): FlowsValidation | undefined {
  // Nothing kept (every first visit) is no entry to check: reading `null`'s fields threw, and
  // V8 parses the throwing function again to word a TypeError's message, ~1 ms before ready.
  const kept = storage.get(key)
  if (kept === null) return
  try {
    const v = fromJson(kept)
    const f = v.flows
    // Storage is the page's to edit: an entry of another shape (`"flows": null`, a list that is
    // not one, an error without a message) would lose or break every experience on every visit,
    // where validating the document again loses nothing.
    const sound =
      f.settings && typeof f.settings === 'object' && LISTS.every((k) => objects(f[k])) && ['valueReviews', 'announcements'].every((k) => f[k] === undefined || objects(f[k])) &&
      v.errors.every((e: { message?: unknown } | null) => typeof e?.message === 'string')
    return sound ? v : undefined
  } catch {
    return undefined
  }
}

export function writeCachedFlows(storage: KeyValueStorage, key: string, validation: FlowsValidation): void {
  for (const old of storage.keys(PREFIX)) if (old !== key) storage.remove(old)
  storage.set(key, toJson(validation))
}

/** A document's key and its cached validation, if any: found once per page by the start chunk. */
export interface CachedFlows {
  /** Undefined for a document that is not JSON (a cycle, a throwing getter): never cached. */
  key: string | undefined
  validation: FlowsValidation | undefined
  /** The text the key was made from: what validation reads on a first visit (see engine.ts). */
  text?: string
}

export async function cachedFlowsOf(storage: KeyValueStorage, raw: unknown, last?: CachedFlows): Promise<CachedFlows> {
  let body: unknown
  let stamp: unknown
  let text: string | undefined
  try {
    ;({ body, stamp } = unstamped(raw))
    text = toJson(body)
  } catch {}
  // Not JSON (a cycle, a throwing getter, a function): validated every time.
  if (typeof text !== 'string') return { key: undefined, validation: undefined }
  const digest = await digestText(text)
  const key = `${PREFIX}${VALIDATOR}:${digest}`
  let validation = key === last?.key ? last.validation : readCachedFlows(storage, key)
  // Checked at build time by this validator, and not edited since: valid as it stands, so even a
  // first visit needs neither the validation chunk nor the time it takes. Kept like a validated
  // one, so the next visit asks for the engine before the document arrives.
  if (!validation && stampMatches(stamp, digest)) {
    const flows = fromJson(text) as Flows
    if (selectorsParse(flows)) writeCachedFlows(storage, key, (validation = { flows, errors: [] }))
  }
  return { key, validation, text }
}

/**
 * A checked document (`npm run flows:check`) carries under CHECKED the validator that passed it
 * and the digests of the rest of it, SHA-1 and the script hash (an http page has no SHA-1): an
 * edit after the check shows as a mismatch.
 */
export const CHECKED = '$checked'
export const stampFor = (text: string): Promise<string> => digestText(text).then((sha) => `${VALIDATOR}:${sha}:${hashText(text)}`)
const stampMatches = (stamp: unknown, digest: string) => {
  const [by, ...digests] = typeof stamp === 'string' ? stamp.split(':') : []
  return by === VALIDATOR && digests.includes(digest)
}

/**
 * The check ran where there is no DOM, with a pattern for CSS selectors; the browser's own
 * parser is stricter (`:contains()`, a misspelt pseudo-class). A selector it refuses sends the
 * document through validation, which reports it, as it would have without the stamp.
 */
function selectorsParse(flows: Flows): boolean {
  if (typeof document === 'undefined') return true
  try {
    const probe = document.createDocumentFragment()
    const parse = (s: unknown) => typeof s === 'string' && probe.querySelector(s)
    for (const section of Object.values(flows))
      for (const it of [section].flat() as Array<{ trigger?: { selector?: unknown }; steps?: Array<{ target?: unknown }> } | undefined>) {
        parse(it?.trigger?.selector)
        if (Array.isArray(it?.steps)) it.steps.forEach((step) => parse(step?.target))
      }
    return true
  } catch {
    return false
  }
}

/** The document without its stamp, and the stamp (if it has one). */
export function unstamped(raw: unknown): { body: unknown; stamp?: unknown } {
  // Not plain-json's isObject: importing it here would split it into a chunk of its own.
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !(CHECKED in raw)) return { body: raw }
  const { [CHECKED]: stamp, ...body } = raw as Record<string, unknown>
  return { body, stamp }
}

/**
 * The validation this browser kept for this validator, whichever document it was for
 * (one per origin): a returning page almost always loads the same document again, so what it
 * needs can be asked for before the document arrives.
 */
export function lastCachedFlows(storage: KeyValueStorage): CachedFlows | undefined {
  const key = storage.keys(`${PREFIX}${VALIDATOR}:`)[0]
  const validation = key === undefined ? undefined : readCachedFlows(storage, key)
  return validation && { key, validation }
}
