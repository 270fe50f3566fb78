import { describe, expect, test } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'
import { validateInitOptions, type LingerOptions } from './init-options'

const messages = (input: unknown) => validateInitOptions(input).errors.map((e) => e.message)

describe('init options', () => {
  test('the snippet example is accepted and the defaults fill the rest', () => {
    const result = validateInitOptions({ key: 'pk_demo', endpoint: 'https://collect.example.com', flows: '/flows.json' })
    expect(result).toEqual({
      options: { key: 'pk_demo', endpoint: 'https://collect.example.com', flows: '/flows.json', debug: false, autocapture: true, flowsTimeoutMs: 5000 },
      errors: [],
    })
  })

  test('every option a vendor can set is kept', () => {
    const options = {
      key: 'pk_live_1',
      endpoint: '',
      flows: 'https://cdn.example.com/flows.json',
      debug: true,
      autocapture: false,
      locale: 'pt-BR',
      theme: { accent: '#4f46e5', muted: 'rgb(10, 10, 10)', dark: { accent: '#a5b4fc' }, radius: 8, font: '"Inter", system-ui', fontSize: '15px', zIndex: 2147483000, mode: 'dark' },
      nonce: 'r4nd0m',
      flushIntervalMs: 1000,
      batchSize: 50,
      maxQueue: 500,
      flowsTimeoutMs: 3000,
      holdForIdentify: 3000,
    }
    expect(validateInitOptions(options)).toEqual({ options, errors: [] })
  })

  test('a page language written the Java and PHP way (pt_BR), as an app passes its own, is taken, not refused', () => {
    expect(validateInitOptions({ key: 'k', locale: 'pt_BR' })).toMatchObject({ options: { locale: 'pt_BR' }, errors: [] })
    expect(messages({ key: 'k', locale: 'pt BR' })).toEqual([expect.stringMatching(/^locale: must be a language tag/)])
  })

  test('onPause, onUpdatePayment and onPlanChange are known handlers, kept next to the cancel flow’s others', () => {
    const handlers = { onOfferAccepted: () => {}, onPause: () => {}, onCancel: () => {}, onUpdatePayment: () => {}, onPlanChange: () => {} }
    expect(validateInitOptions({ key: 'k', handlers })).toMatchObject({ options: { handlers }, errors: [] })
    expect(messages({ key: 'k', handlers: { onPaws: () => {} } })).toEqual(['handlers.onPaws: is not a known handler (onOfferAccepted, onPause, onCancel, onUpdatePayment, onPlanChange); ignored'])
  })

  test('a flows object is passed on by reference for validateFlows, not copied', () => {
    const flows = { version: 1, tours: [] }
    expect(validateInitOptions({ key: 'k', flows }).options?.flows).toBe(flows)
  })

  test.each([
    [undefined, 'init takes an options object { key: "…" }, got nothing; Linger cannot send events'],
    ['pk_demo', 'init takes an options object { key: "…" }, got "pk_demo"; Linger cannot send events'],
    [{}, 'key: is required (a non-empty string); Linger cannot send events'],
    [{ key: '' }, 'key: must not be empty; Linger cannot send events'],
    [{ key: 42 }, 'key: expected a string, got 42; Linger cannot send events'],
  ])('%j leaves Linger without a key (it sends nothing)', (input, message) => {
    expect(validateInitOptions(input)).toEqual({ options: null, errors: [expect.objectContaining({ message })] })
  })

  test('a bad optional value is reported and its default used', () => {
    const result = validateInitOptions({ key: 'k', endpoint: 'ftp://collect.example.com', autocapture: 'yes', flowsTimeoutMs: 10 })
    expect(result.errors.map((e) => e.message)).toEqual([
      `endpoint: must be an absolute http(s) URL or '', got "ftp://collect.example.com"; using the default, this page's origin`,
      'autocapture: expected a boolean, got "yes"; using the default true',
      'flowsTimeoutMs: expected a whole number from 100 to 60000, got 10; using the default 5000',
    ])
    expect(result.options).toMatchObject({ autocapture: true, flowsTimeoutMs: 5000 })
    expect(result.options).not.toHaveProperty('endpoint')
  })

  test('a theme key that happens to be called `endpoint` is ignored as any unknown one, not said to send to the page', () => {
    expect(messages({ key: 'k', theme: { endpoint: 'x' } })).toEqual([
      "theme.endpoint: is not a known option; ignored",
    ])
  })

  test('a bad batch setting says that its default is used, and which (it is not "ignored": the default applies)', () => {
    expect(messages({ key: 'k', flushIntervalMs: -5, batchSize: 0, maxQueue: 'lots', sendFromWorker: 'yes' })).toEqual([
      'flushIntervalMs: expected a whole number from 0 to 60000, got -5; using the default 2000',
      'batchSize: expected a whole number from 1 to 500, got 0; using the default 100',
      'maxQueue: expected a whole number from 1 to 100000, got "lots"; using the default 1000',
      'sendFromWorker: expected a boolean, got "yes"; using the default false',
    ])
    expect(messages({ key: 'k', flushIntervalMs: 'fast' })).toEqual(['flushIntervalMs: expected a whole number from 0 to 60000, got "fast"; using the default 2000'])
  })

  test('a landing page view held for identify() longer than 10 s, or by a word, is said, and nothing is held', () => {
    expect(messages({ key: 'k', holdForIdentify: true })).toEqual(['holdForIdentify: expected a whole number from 0 to 10000, got true; using the default 0'])
    expect(messages({ key: 'k', holdForIdentify: 60_000 })).toEqual(['holdForIdentify: expected a whole number from 0 to 10000, got 60000; using the default 0'])
  })

  test('unknown keys are reported, not fatal (userHash belongs to identify)', () => {
    const result = validateInitOptions({ key: 'k', userHash: 'abc' })
    expect(result.errors).toEqual([{ path: 'userHash', rule: 'unknown_key', message: 'userHash: is not a known option; ignored' }])
    expect(result.options).not.toHaveProperty('userHash')
  })

  test('a flows URL that could run script is refused', () => {
    expect(messages({ key: 'k', flows: 'javascript:alert(1)' })).toEqual([
      'flows: must be a flows object or an http(s) or relative URL, got "javascript:alert(1)"; ignored',
    ])
  })

  test('theme values that could break out of a CSS declaration are dropped, the rest of the theme kept', () => {
    const result = validateInitOptions({
      key: 'k',
      theme: { accent: 'red; } body { display: none', dark: { Accent: 'blue', text: '#fff' }, background: '#fff', font: '</style><script>', mode: 'sepia', radius: -1 },
    })
    expect(result.errors.map((e) => e.message)).toEqual([
      'theme.accent: must be a plain CSS value (no ; { } < > \\, comment or image), got "red; } body { display: none"; ignored',
      'theme.dark.Accent: is not a theme colour (accent, onAccent, background, text, muted, border, success, danger); ignored',
      'theme.font: must be a plain CSS value (no ; { } < > \\, comment or image), got "</style><script>"; ignored',
      'theme.mode: expected one of "light", "dark", "auto", got "sepia"; ignored',
      'theme.radius: expected a whole number from 0 to 100, got -1; ignored',
    ])
    expect(result.options?.theme).toEqual({ dark: { text: '#fff' }, background: '#fff' })
  })

  test("a theme colour that would make every end user's browser fetch an image (url(), image-set()) is reported, as the widgets drop it", () => {
    const result = validateInitOptions({ key: 'k', theme: { accent: 'url(https://t.example/p.gif)', background: 'var(--brand, image-set("a.png" 1x))', text: 'rgb(20 40 200 / 50%)' } })
    expect(result.errors.map((e) => e.message)).toEqual([
      'theme.accent: must be a plain CSS value (no ; { } < > \\, comment or image), got "url(https://t.example/p.gif)"; ignored',
      'theme.background: must be a plain CSS value (no ; { } < > \\, comment or image), got "var(--brand, image-set(\\"a.png\\" 1x))"; ignored',
    ])
    expect(result.options?.theme).toEqual({ text: 'rgb(20 40 200 / 50%)' })
  })

  test('a page object passed as an unknown option (it refers to itself) is reported by its name, and a bad endpoint beside it still is', () => {
    const page: Record<string, unknown> = { name: 'dashboard' }
    page.self = page
    expect(messages({ key: 'k', endpoint: 'collect.example.com', context: page })).toEqual([
      'context: is nested more than 24 levels deep (or refers to itself); ignored',
      `endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; using the default, this page's origin`,
    ])
  })

  test("the caller's object is left as it was", () => {
    const input = { key: 'k', bogus: 1, theme: { mode: 'sepia' } }
    const before = structuredClone(input)
    validateInitOptions(input)
    expect(input).toEqual(before)
  })

  test('hostile input is reported, never thrown', () => {
    const cyclic: Record<string, unknown> = { key: 'k' }
    cyclic.theme = cyclic
    const throwing = Object.defineProperty({}, 'key', { enumerable: true, get: () => { throw new Error('no') } })
    // Only the option that cannot be copied is lost, by its own name: the key still starts Linger.
    expect(validateInitOptions(cyclic)).toMatchObject({
      options: { key: 'k' },
      errors: [{ path: 'theme', message: 'theme: is nested more than 24 levels deep (or refers to itself); ignored' }],
    })
    expect(messages(throwing)).toEqual(['init options could not be read as plain data'])
    const proto = validateInitOptions(JSON.parse('{"key": "k", "__proto__": {"debug": true}}'))
    expect(proto.options).toMatchObject({ debug: false })
    expect(proto.errors.map((e) => e.path)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).debug).toBeUndefined()
  })
})

describe('what a vendor hears of bad init options', () => {
  async function errorsOf(options: Record<string, unknown>) {
    const platform = createFakePlatform()
    const linger = createLinger(options as LingerOptions, { platform })
    const errors: string[] = []
    linger.on('error', (e: { message: string }) => errors.push(e.message))
    await linger.ready
    return { errors }
  }

  test('a write key over 200 characters is reported once, by its length', async () => {
    const { errors } = await errorsOf({ key: 'k'.repeat(201), endpoint: 'https://collect.example.com' })
    expect(errors).toEqual(['key: is 201 characters long, at most 200; Linger cannot send events'])
  })

  test('a bad endpoint is still reported when another option holds a page object that refers to itself', async () => {
    const page: Record<string, unknown> = { name: 'dashboard' }
    page.self = page
    const { errors } = await errorsOf({ key: 'pk_test', endpoint: 'collect.example.com', context: page })
    expect(errors).toEqual([
      'context: is nested more than 24 levels deep (or refers to itself); ignored',
      `endpoint: must be an absolute http(s) URL or '', got "collect.example.com"; using the default, this page's origin`,
    ])
  })
})
