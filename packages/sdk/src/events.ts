import type { PageInfo, Platform } from './platform'

export type Properties = Record<string, unknown>

/** A Segment Spec message, as it travels on the wire (docs/architecture.md, "Events on the wire"). */
export interface LingerEvent {
  type: 'track' | 'identify' | 'page' | 'group'
  event?: string
  name?: string
  properties?: Properties
  traits?: Properties
  userId?: string
  anonymousId: string
  groupId?: string
  messageId: string
  timestamp: string
  context: EventContext
}

export interface EventContext {
  page: Omit<PageInfo, 'hash'>
  library: { name: 'linger'; version: string }
  locale: string
  timezone: string
  userAgent: string
  userHash?: string
  groupId?: string
  groupHash?: string
}

/** The codes on('error') hears, as README.md lists them ("Error codes"). */
export type LingerErrorCode =
  | 'invalid-config'
  | 'flows-unavailable'
  | 'invalid-option'
  | 'invalid-call'
  | 'invalid-properties'
  | 'unknown-command'
  | 'unknown-experience'
  | 'dropped'
  | 'rejected'
  | 'invalid-event'
  | 'handler-failed'
  | 'cancel-handler-failed'
  | 'handler-missing'
  | 'sync-refused'
  | 'experience-failed'
  | 'widget-failed'
  | 'internal'

/** Errors are values inside the sdk; they reach the vendor through on('error'). */
export interface LingerError {
  code: LingerErrorCode
  message: string
  details?: unknown
}

export const LIBRARY_VERSION = '0.1.0'

const codes: number[] = []

/** A v4-shaped UUID from the injected random source: stable across retries once minted. */
export function messageId(random: () => number): string {
  // Four draws of 32 bits, not one per digit, read a hex digit at a time into one string of
  // character codes: toString(16), padStart and slices made ten strings of garbage per event.
  // The version (4) takes the place of digit 12, the variant keeps two bits of digit 16.
  let w = 0
  for (let i = 0, n = 0; i < 36; i++) {
    if (i == 8 || i == 13 || i == 18 || i == 23) codes[i] = 45
    else {
      if (!(n & 7)) w = (random() * 0x100000000) >>> 0
      const d = (w >>> (28 - 4 * (n++ & 7))) & 15
      codes[i] = i == 14 ? 52 : '0123456789abcdef'.charCodeAt(i == 19 ? 8 | (d & 3) : d)
    }
  }
  return String.fromCharCode.apply(null, codes)
}

export interface Who {
  anonymousId: string
  userId?: string
  userHash?: string
  groupId?: string
  groupHash?: string
}

// Obvious secrets in an address (a reset or magic link's token, Supabase's token_hash, a sign-in
// ticket, an OAuth code, a signature) and email addresses: neither the collector nor its readers need them.
export const redact = (s: string): string =>
  s
    .replace(/([?&#;]([\w.-]*)=)[^&#]*/g, (m, head, name) =>
      /(^(code|sig|auth|otp|jwt|ticket)|token(_hash)?|_ticket|secret|passw(or)?d|pwd|key|signature|credential|session_?id|oobcode)$/i.test(name) ? head + '[redacted]' : m,
    )
    .replace(/[\w.+%-]{1,64}(@|%40)[\w.-]+\.\w+/g, '[redacted]')

// Every event carries the page, the same object while it stays (platform.page()): redacted once.
let raw: PageInfo | undefined
let clean: EventContext['page']

/**
 * Builds the envelope at the moment a call is made: a call queued by the snippet passes its own
 * time and page, so it is reported as when and where it happened, not when the runtime loaded.
 */
export function envelope(
  platform: Platform,
  who: Who,
  base: Pick<LingerEvent, 'type'> & Partial<LingerEvent>,
  at?: { time?: number; page?: PageInfo },
): LingerEvent {
  const page = at?.page ?? platform.page()
  if (page !== raw) (raw = page), (clean = { url: redact(page.url), path: redact(page.path), title: redact(page.title), referrer: redact(page.referrer), search: redact(page.search) })
  // A page view repeats its page's url, path and title (client.ts).
  if (base.type == 'page') Object.assign(base.properties!, { url: clean.url, path: clean.path, title: clean.title })
  const context: EventContext = {
    page: clean,
    library: { name: 'linger', version: LIBRARY_VERSION },
    locale: platform.locale(),
    timezone: platform.timezone(),
    userAgent: platform.userAgent(),
  }
  if (who.userHash) context.userHash = who.userHash
  if (who.groupId) context.groupId = who.groupId
  if (who.groupId && who.groupHash) context.groupHash = who.groupHash
  const event: LingerEvent = {
    ...base,
    anonymousId: who.anonymousId,
    messageId: base.messageId ?? messageId(platform.random),
    timestamp: new Date(at?.time ?? platform.now()).toISOString(),
    context,
  }
  if (who.userId) event.userId = who.userId
  return event
}
