import { describe, expect, it } from 'vitest'
import type { LingerError, LingerEvent } from '../events'
import { reportRefusals } from './refusals'

/** A batch of `n` tracked events, as the collector got them. */
const batchOf = (day: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: 'track', event: 'Report Exported', messageId: `${day}-${i}`, anonymousId: 'a', timestamp: '', context: {} }) as unknown as LingerEvent)
/** The reference collector's 2xx: every event of the batch refused (a tracking-plan slip). */
const refusing = (batch: LingerEvent[]) => JSON.stringify({ ok: true, accepted: 0, duplicates: 0, rejected: batch.map((e, index) => ({ index, messageId: e.messageId, errors: ['properties.format: required'] })) })

describe('refused events, in an app left open all day', () => {
  it('a day of refusals is not all kept in memory: the morning’s are let go, and a copy of the latest batch that went again as the page left is still told once', () => {
    const told: LingerError[] = []
    const report = (e: LingerError) => told.push(e)
    const morning = batchOf('morning', 100)
    reportRefusals(refusing(morning), morning, report)
    // Ten thousand refused events later (a frequent event the plan refuses, all day long).
    let latest = morning
    for (let b = 0; b < 100; b++) reportRefusals(refusing((latest = batchOf(`batch${b}`, 100))), latest, report)
    expect(told).toHaveLength(10_100)
    // The latest batch's copy, sent again by keepalive as the page left, is refused again: told once only.
    reportRefusals(refusing(latest), latest, report)
    expect(told).toHaveLength(10_100)
    // The morning's ids are no longer held (were one ever to come back, it would be told again).
    reportRefusals(refusing(morning), morning, report)
    expect(told).toHaveLength(10_200)
  })
})
