import type { LingerError, LingerEvent } from '../events'

// messageIds whose refusal was reported: a copy that went again (as the page left) is refused again.
// Only a recent batch comes back so (a keepalive copy holds at most 64 KB of events, a batch 100
// by default): the last thousand are kept, not a day of them (10,000 held 364 KB for good).
const told = new Set<string>()

/**
 * Reports the events of `batch` a 2xx answer refused, the rest of it stored (the reference
 * collector's `rejected: [{ messageId, errors }]`): they are not sent again, so this is the
 * vendor's only word of them. Loaded only for an answer that names events (delivery.ts); a body
 * of another shape reports nothing (it throws, and delivery drops that).
 */
export function reportRefusals(body: string, batch: LingerEvent[], report: (error: LingerError) => void): void {
  for (const { messageId, errors } of JSON.parse(body).rejected) {
    const e = batch.find((e) => e.messageId === messageId)
    if (!e || told.has(messageId)) continue
    told.add(messageId)
    if (told.size > 1e3) told.delete(told.values().next().value!)
    const name = e.event ?? e.name
    report({
      code: 'rejected',
      message: `the collector rejected event ${messageId} (${e.type}${name ? ` "${name}"` : ''}): ${errors.join('; ')}`,
      details: { count: 1, messageId, errors },
    })
  }
}
