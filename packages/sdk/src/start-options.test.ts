import { describe, expect, it } from 'vitest'
import { startOptions } from './start-options'
import { batchUrl } from './transport/wire'

describe('the options read before the engine arrives', () => {
  it('takes a vendor’s ordinary init call as it is', () => {
    const flows = { version: 1 }
    const { options } = startOptions({ key: 'pk_1', endpoint: 'https://collect.example.com/', flows, debug: true, flushIntervalMs: 500 })
    // The endpoint as written: where batches go is placed from it (wire.ts collectorUrl), which
    // drops the path's trailing '/' itself and keeps the query whole.
    expect(options).toMatchObject({ key: 'pk_1', endpoint: 'https://collect.example.com/', flows, debug: true, autocapture: true, flushIntervalMs: 500 })
    expect(batchUrl(options.endpoint!)).toBe('https://collect.example.com/v1/batch')
  })

  it('a collector endpoint whose query ends in "/" keeps it: its batches reach the address the vendor gave', () => {
    const { options } = startOptions({ key: 'pk_1', endpoint: 'https://c.example.com/ingest?next=/' })
    expect(batchUrl(options.endpoint!)).toBe('https://c.example.com/ingest/v1/batch?next=/')
  })

  it('never sends events to anything but an http(s) endpoint', () => {
    for (const endpoint of ['javascript:alert(1)', 'data:text/plain,x', '//evil.example', 'ftp://x', 42]) {
      expect(startOptions({ key: 'k', endpoint }).options.endpoint).toBe('')
    }
  })

  it('falls back to defaults for odd values instead of failing', () => {
    const { options } = startOptions({ key: 'k', flushIntervalMs: 'fast', batchSize: -1, maxQueue: 1e9, autocapture: 'no', debug: 'yes' })
    expect(options).toMatchObject({ flushIntervalMs: undefined, batchSize: undefined, maxQueue: undefined, autocapture: true, debug: false })
  })

  it('holds the landing page view for identify() only as long as asked, up to 10 s, and only when asked with a number', () => {
    expect(startOptions({ key: 'k', holdForIdentify: 3000 }).options.holdForIdentify).toBe(3000)
    for (const holdForIdentify of [true, '3000', -1, 10_001, 1.5, undefined]) expect(startOptions({ key: 'k', holdForIdentify }).options.holdForIdentify).toBeUndefined()
  })

  it('does not send with a key the full check refuses (over 200 characters); that check says why', () => {
    expect(startOptions({ key: 'k'.repeat(201) }).options.key).toBeUndefined()
    expect(startOptions({ key: 'k'.repeat(200) }).options.key).toBe('k'.repeat(200))
  })

  // The client sends nothing without one; the start chunk's full check says why.
  it('has no key to send with when none was given', () => {
    expect(startOptions(undefined).options.key).toBeUndefined()
    expect(startOptions({ key: '' }).options.key).toBeUndefined()
    expect(startOptions(['k']).options.key).toBeUndefined()
  })
})
