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

/** Errors are values inside the sdk; they reach the vendor through on('error'). */
export interface LingerError {
  code: string
  message: string
  details?: unknown
}

export const LIBRARY_VERSION = '0.1.0'

/** A v4-shaped UUID from the injected random source: stable across retries once minted. */
export function messageId(random: () => number): string {
  // Four draws of 32 bits, not one per digit: an id is made for every event.
  let h = ''
  for (let i = 0; i < 4; i++) h += ((random() * 0x100000000) >>> 0).toString(16).padStart(8, '0')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20)}`
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
