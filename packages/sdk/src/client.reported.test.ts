import { describe, expect, it } from 'vitest'
import { createLinger } from './client'
import { createFakePlatform } from './fake-platform'
import type { LingerEvent } from './events'
// Loaded ahead, as a page that already ran has them (see client.test.ts).
import './config/boot'
import './transport/adopt'
import './transport/refusals'

describe('debug mode, in an app left open all day', () => {
  it('a collector refusing a frequent event all day: each refusal is logged, and what was logged is not all kept (a problem logged this morning is logged again after a thousand others)', async () => {
    const p = createFakePlatform()
    // The reference collector's 2xx, refusing every event (a tracking-plan slip).
    p.respond = (req) => {
      const body = JSON.stringify({ ok: true, accepted: 0, duplicates: 0, rejected: (req.body.batch as LingerEvent[]).map((e, index) => ({ index, messageId: e.messageId, errors: ['properties.format: required'] })) })
      return { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body }
    }
    const linger = createLinger({ key: 'pk_test', endpoint: 'https://collect.example.com', debug: true }, { platform: p })
    const said = (text: string) => p.logs.filter((l) => String(l[1]).includes(text)).length
    linger.track('')
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 100; i++) linger.track('Report Exported')
      await p.advance(2000)
    }
    expect(said('the collector rejected event')).toBeGreaterThanOrEqual(1200)
    linger.track('')
    expect(said('track needs an event name')).toBe(2)
    linger.destroy()
  })
})
