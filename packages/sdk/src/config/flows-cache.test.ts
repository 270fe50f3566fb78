import { describe, expect, it, vi } from 'vitest'
import { Session } from 'node:inspector'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'
import { couldShow } from './load-flows'
import { validateFlows } from './validate-flows'

const doc = {
  version: 1,
  tours: [
    { id: 'welcome', trigger: { event: 'Signed Up' }, steps: [{ id: 'a', title: 'Hi', body: 'Welcome.' }] },
    { id: 'broken', trigger: { event: 'Signed Up' }, steps: [] },
  ],
}

async function load(shared: Map<string, string>, flows: object | string) {
  const platform = createFakePlatform({ shared })
  const errors: string[] = []
  const linger = createLinger({ key: 'pk_test', flows }, { platform })
  linger.on('error', (e: { code: string; message: string }) => errors.push(`${e.code}: ${e.message}`))
  await linger.ready
  return { linger, errors }
}

/** Marks the cached entry after a first load: the second load must hear the marker, not validate. */
async function expectRunFromCache() {
  const shared = new Map<string, string>()
  await load(shared, doc)
  const [key] = [...shared.keys()].filter((k) => k.startsWith('linger:flows:'))
  const entry = JSON.parse(shared.get(key)!)
  entry.errors = [{ path: 'marker', message: 'marker: from the cache', rule: 'marker' }]
  shared.set(key, JSON.stringify(entry))
  expect((await load(shared, doc)).errors).toEqual(['invalid-config: marker: from the cache'])
  return shared
}

describe('validated flows, cached per document', () => {
  it('a returning page runs the same experiences and hears the same config errors, from the cache', async () => {
    const shared = new Map<string, string>()
    const first = await load(shared, doc)
    const cached = [...shared.keys()].filter((k) => k.startsWith('linger:flows:'))
    expect(cached).toHaveLength(1)
    const second = await load(shared, doc)
    expect(second.errors).toEqual(first.errors)
    expect(second.errors.some((e) => e.startsWith('invalid-config: tours[1]'))).toBe(true)
    expect(second.linger.why('welcome').reasons).toEqual(first.linger.why('welcome').reasons)
    expect(second.linger.why('broken').reasons).toEqual(['unknown-experience'])
  })

  it('what a returning page runs comes from the cache, not from validating again', async () => {
    await expectRunFromCache()
  })

  it('a changed document is validated afresh and replaces the cached one', async () => {
    const shared = new Map<string, string>()
    await load(shared, doc)
    const changed = { ...doc, tours: [doc.tours[0]] }
    const { errors } = await load(shared, changed)
    expect(errors).toEqual([])
    expect([...shared.keys()].filter((k) => k.startsWith('linger:flows:'))).toHaveLength(1)
  })

  it('without the browser crypto (an http page is not a secure context) a returning page still runs from the cache', async () => {
    vi.stubGlobal('crypto', undefined)
    try {
      const shared = await expectRunFromCache()
      expect((await load(shared, { ...doc, tours: [doc.tours[0]] })).errors).toEqual([])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('a corrupt cache entry is validated afresh', async () => {
    const shared = new Map<string, string>()
    const first = await load(shared, doc)
    const [key] = [...shared.keys()].filter((k) => k.startsWith('linger:flows:'))
    shared.set(key, '{"flows":')
    expect((await load(shared, doc)).errors).toEqual(first.errors)
  })

  it('a cache entry edited to `"flows": null` is validated afresh, and the experiences run', async () => {
    const shared = new Map<string, string>()
    const first = await load(shared, doc)
    const [key] = [...shared.keys()].filter((k) => k.startsWith('linger:flows:'))
    shared.set(key, '{"flows":null,"errors":[]}')
    const again = await load(shared, doc)
    expect(again.errors).toEqual(first.errors)
    expect(again.linger.why('welcome').reasons).not.toContain('unknown-experience')
  })
})

/**
 * Every exception the code under `run` throws, caught or not (this thread's own inspector,
 * pausing on each): a TypeError's message has V8 parse the throwing function again to word it.
 */
async function thrownDuring(run: () => Promise<unknown>): Promise<string[]> {
  const session = new Session()
  session.connect()
  const thrown: string[] = []
  session.on('Debugger.paused', ({ params }) => {
    const top = params.callFrames[0]
    thrown.push(`${String((params.data as { description?: string } | undefined)?.description).split('\n')[0]} in ${top?.functionName || '(anonymous)'}`)
    session.post('Debugger.resume')
  })
  session.post('Debugger.enable')
  session.post('Debugger.setPauseOnExceptions', { state: 'all' })
  try {
    await run()
  } finally {
    session.post('Debugger.setPauseOnExceptions', { state: 'none' })
    session.disconnect()
  }
  return thrown
}

describe('a first visit, nothing cached yet', () => {
  it('gets to ready without an exception on the way: the host page pays no re-parse for a validation that was never kept', async () => {
    const shared = new Map<string, string>()
    const thrown = await thrownDuring(() => load(shared, doc))
    expect(thrown).toEqual([])
    // And it still keeps the validation for the next visit.
    expect([...shared.keys()].filter((k) => k.startsWith('linger:flows:'))).toHaveLength(1)
  })
})

describe('a cache entry that is JSON but not a validation', () => {
  const settings = { cooldownDays: 2, locale: 'auto' }
  const lists = { checklists: [], tours: [], badges: [], levels: [], surveys: [] }
  it.each([
    ['no lists at all', { flows: {}, errors: [] }],
    ['a list that is not one', { flows: { ...lists, settings, tours: 'welcome' }, errors: [] }],
    ['an experience that is not one', { flows: { ...lists, settings, tours: [null] }, errors: [] }],
    ['no settings', { flows: { ...lists }, errors: [] }],
    ['an error that is not one', { flows: { ...lists, settings }, errors: [null] }],
  ])('(%s) is validated afresh: the experiences run and the document’s errors are heard', async (_, entry) => {
    const shared = new Map<string, string>()
    const first = await load(shared, doc)
    const [key] = [...shared.keys()].filter((k) => k.startsWith('linger:flows:'))
    shared.set(key, JSON.stringify(entry))
    const again = await load(shared, doc)
    expect(again.errors).toEqual(first.errors)
    expect(again.linger.why('welcome').reasons).not.toContain('unknown-experience')
  })
})

describe('whether the engine is needed at all', () => {
  it('a document with nothing in it has nothing to show', () => {
    expect(couldShow(undefined)).toBe(false)
    expect(couldShow({ version: 1 })).toBe(false)
    expect(couldShow({ version: 1, settings: { cooldownDays: 1 }, tours: [], surveys: [] })).toBe(false)
  })

  it('any experience, a cancel flow, or anything to report about the document needs it', () => {
    expect(couldShow({ version: 1, tours: [{}] })).toBe(true)
    expect(couldShow({ version: 1, cancelFlow: {} })).toBe(true)
    expect(couldShow({ version: 1, levels: [{ name: 'x', points: 0 }] })).toBe(true)
    // Reported by validation: an unknown section, a list that is not a list, not an object at all.
    expect(couldShow({ version: 1, tour: [] })).toBe(true)
    expect(couldShow({ version: 1, tours: {} })).toBe(true)
    expect(couldShow([])).toBe(true)
    expect(couldShow('flows')).toBe(true)
  })

  it('a document with settings but no experiences yet still hears of its bad settings or version; valid ones load nothing', async () => {
    expect(couldShow({ version: 1, settings: { cooldownDays: '0' } })).toBe(true)
    expect(couldShow({ version: 2 })).toBe(true)
    expect(couldShow({ settings: { cooldownDay: 1 } })).toBe(true)
    expect(couldShow({ version: 1, settings: { cooldownDays: 0, locale: 'pt-BR', leaderboard: true } })).toBe(false)
    expect((await load(new Map(), { version: 1, settings: { cooldownDays: '0' } })).errors).toEqual([
      'invalid-config: settings.cooldownDays: expected a number, got "0"; using the default 2',
    ])
  })

  it('says a settings-only document has something to report exactly when validation does', () => {
    const samples = [
      undefined, {}, 'fast', [], null, { cooldownDays: 0 }, { cooldownDays: 365 }, { cooldownDays: 366 }, { cooldownDays: -1 }, { cooldownDays: 1.5 }, { cooldownDays: Number.NaN },
      { locale: 'auto' }, { locale: 'zh-Hant-TW' }, { locale: 'en_US' }, { locale: 7 }, { leaderboard: false }, { leaderboard: 'yes' }, { theme: 'dark' },
    ]
    for (const settings of samples) expect([settings, couldShow({ settings })]).toEqual([settings, validateFlows({ settings }).errors.length > 0])
  })

  it('without the engine, option errors are still reported and show() says there is no such experience', async () => {
    const platform = createFakePlatform()
    const errors: string[] = []
    // A script-tag page's options are not type-checked: a value of the wrong type reaches the runtime.
    // @ts-expect-error
    const linger = createLinger({ key: 'pk_test', flows: { version: 1 }, flushIntervalMs: 'soon' }, { platform })
    linger.on('error', (e: { code: string }) => errors.push(e.code))
    await linger.ready
    expect(errors).toContain('invalid-option')
    expect(linger.show('welcome')).toBe(false)
    expect(errors).toContain('unknown-experience')
    expect(Object.keys(linger.experiences)).toEqual([])
  })
})
