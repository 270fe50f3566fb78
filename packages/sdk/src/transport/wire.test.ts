import { describe, expect, it } from 'vitest'
import { batchBody, batchHeaders, batchUrl, byteLength, fitBatch } from './wire'

describe('wire format', () => {
  it('posts to /v1/batch', () => {
    expect(batchUrl('https://c.example.com')).toBe('https://c.example.com/v1/batch')
  })

  it('a collector reached through a path and a query gets its batches at {path}/v1/batch, its query kept', () => {
    expect(batchUrl('https://c.example.com/ingest?tenant=a')).toBe('https://c.example.com/ingest/v1/batch?tenant=a')
    expect(batchUrl('https://c.example.com?tenant=a')).toBe('https://c.example.com/v1/batch?tenant=a')
    expect(batchUrl('https://c.example.com/ingest/?tenant=a&next=/x')).toBe('https://c.example.com/ingest/v1/batch?tenant=a&next=/x')
  })

  it('an endpoint given as the full batch URL is used as it is, not sent to /v1/batch/v1/batch (a 404 that drops every event)', () => {
    expect(batchUrl('https://c.example.com/v1/batch')).toBe('https://c.example.com/v1/batch')
    expect(batchUrl('https://c.example.com/ingest/v1/batch?tenant=a')).toBe('https://c.example.com/ingest/v1/batch?tenant=a')
  })

  it('carries the write key as Basic auth with an empty password', () => {
    const auth = batchHeaders('pk_live_1').Authorization
    expect(Buffer.from(auth.replace('Basic ', ''), 'base64').toString()).toBe('pk_live_1:')
  })

  it('still sends a key Basic auth cannot encode (it is in the body too)', () => {
    expect(batchHeaders('clé✓')).toEqual({ 'Content-Type': 'application/json' })
    expect(JSON.parse(batchBody([], 'clé✓', 0)).writeKey).toBe('clé✓')
  })

  it('counts UTF-8 bytes the way the browser quota does', () => {
    const odd = ['\ud800', '\udc00', 'a\ud800', '\ud800\ud800\udc00', '\udbff\udfff', '\u07ff\u0800\uffff', '\u0080\u007f']
    for (const s of ['plain', 'é', '✓ done', '😀 emoji', 'mixed ü✓😀', '\ud800 lone surrogate'.slice(0, 1), ...odd]) {
      expect(byteLength(s)).toBe(Buffer.byteLength(s, 'utf8'))
    }
  })
})

describe('fitting a batch', () => {
  it('takes events from the front while the body stays within the byte limit', () => {
    // body = fixed + sizes + one comma between events
    expect(fitBatch([10, 10, 10], 50, 20 + 10 + 1 + 10, 20)).toEqual({ count: 2, bytes: 41 })
  })

  it('stops at the count limit', () => {
    expect(fitBatch([1, 1, 1, 1], 3, 1000, 0).count).toBe(3)
  })

  it('fits nothing when even the first event is too large', () => {
    expect(fitBatch([500], 50, 100, 20).count).toBe(0)
  })
})
