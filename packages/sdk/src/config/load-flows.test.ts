import { describe, expect, test } from 'vitest'
import { createFakePlatform } from '../fake-platform'
import { loadFlows, MAX_FLOWS_BYTES } from './load-flows'

const document = { version: 1, tours: [] }

describe('loading the flows document', () => {
  test('an object is used as it is, without a request', async () => {
    const platform = createFakePlatform()
    await expect(loadFlows(document, platform, 5000)).resolves.toEqual({ ok: true, value: document })
    expect(platform.requests).toEqual([])
  })

  test('a URL is fetched once with GET, asking for JSON, with the timeout passed on', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(document) })
    await expect(loadFlows('/flows.json', platform, 3000)).resolves.toEqual({ ok: true, value: document })
    expect(platform.requests).toHaveLength(1)
    expect(platform.requests[0]).toMatchObject({ url: '/flows.json', init: { method: 'GET', headers: { Accept: 'application/json' }, timeoutMs: 3000 } })
  })

  test('a 404 says the URL is wrong', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 404, body: 'Not Found' })
    await expect(loadFlows('/flow.json', platform, 5000)).resolves.toEqual({
      ok: false,
      error: { code: 'flows-unavailable', message: 'flows from /flow.json answered HTTP 404 (not found: check the flows URL)', details: { url: '/flow.json', status: 404 } },
    })
  })

  test('a server error is reported with its status', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 503 })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result.ok === false && result.error.message).toBe('flows from /flows.json answered HTTP 503')
  })

  test('an HTML page (a single-page app answering every path) is called out as HTML', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><html>…</html>' })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-config', message: 'flows from /flows.json is an HTML page, not JSON (check the flows URL)' } })
  })

  test('broken JSON says where it broke, as an editor counts lines and columns', async () => {
    const platform = createFakePlatform()
    // A missing comma after "version": 1, the error a hand-edited document most often has.
    platform.respond = () => ({ status: 200, body: '{\n  "version": 1\n  "tours": []\n}' })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-config', message: 'flows from /flows.json is not valid JSON at line 3, column 3', details: { line: 3, column: 3 } },
    })
  })

  test('a document cut short points at its end', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 200, body: '{"version": 1,' })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-config', message: 'flows from /flows.json is not valid JSON at line 1, column 15' } })
  })

  test.each([
    // What a hand-edited document gets wrong that the browser's own parser names no place for.
    ['a comment', '{\n  "version": 1,\n  // the onboarding checklist\n  "checklists": []\n}', 3, 3],
    ['a value in single quotes', '{\n  "version": 1,\n  "settings": { "locale": \'en\' }\n}', 3, 27],
    ['a key without quotes', '{\n  "version": 1,\n  tours: []\n}', 3, 3],
    ['a value left out', '{\n  "version": 1,\n  "tours": \n}', 4, 1],
  ])('broken JSON with %s says where it broke too', async (_, body, line, column) => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 200, body })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-config', message: `flows from /flows.json is not valid JSON at line ${line}, column ${column}`, details: { line, column } },
    })
  })

  test('a document over the size a browser loads says how long it is in characters, as they are counted (and as the check says it)', async () => {
    const platform = createFakePlatform()
    // Non-ASCII text: 2,000,001 characters are 4,000,002 bytes of UTF-8.
    platform.respond = () => ({ status: 200, body: 'é'.repeat(MAX_FLOWS_BYTES + 1) })
    const result = await loadFlows('/flows.json', platform, 5000)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-config', message: 'flows from /flows.json is 2000001 characters, over the 2000000 a browser loads from a flows URL' } })
  })

  test('a network error is reported, not thrown', async () => {
    const platform = createFakePlatform()
    platform.respond = () => 'network-error'
    const result = await loadFlows('https://cdn.example.com/flows.json', platform, 5000)
    expect(result).toMatchObject({ ok: false, error: { code: 'flows-unavailable', message: 'flows from https://cdn.example.com/flows.json could not be fetched (network error)' } })
  })

  test('a server that never answers times out after the configured time, by our own clock', async () => {
    const platform = createFakePlatform()
    platform.respond = () => new Promise(() => {})
    let settled: unknown
    void loadFlows('/flows.json', platform, 5000).then((r) => (settled = r))
    await platform.advance(4999)
    expect(settled).toBeUndefined()
    await platform.advance(1)
    expect(settled).toEqual({
      ok: false,
      error: { code: 'flows-unavailable', message: 'flows from /flows.json did not arrive within 5000 ms', details: { url: '/flows.json' } },
    })
  })

  test('a platform that aborts the request itself reports the same timeout', async () => {
    const platform = createFakePlatform()
    platform.request = async () => {
      throw Object.assign(new Error('signal timed out'), { name: 'TimeoutError' })
    }
    const result = await loadFlows('/flows.json', platform, 2000)
    expect(result).toMatchObject({ ok: false, error: { code: 'flows-unavailable', message: 'flows from /flows.json did not arrive within 2000 ms' } })
  })

  test('an answer in time cancels the timeout timer', async () => {
    const platform = createFakePlatform()
    platform.respond = () => ({ status: 200, body: '{}' })
    const cleared: unknown[] = []
    const clear = platform.clearTimeout
    platform.clearTimeout = (id) => (cleared.push(id), clear(id))
    await loadFlows('/flows.json', platform, 5000)
    expect(cleared).toHaveLength(1)
  })

  test('a URL that could run script is refused without a request', async () => {
    const platform = createFakePlatform()
    const result = await loadFlows('javascript:alert(1)', platform, 5000)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-option', message: 'flows must be an http(s) or relative URL, got "javascript:alert(1)"' } })
    expect(platform.requests).toEqual([])
  })
})
