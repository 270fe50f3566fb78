import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { createLinger } from '../client'
import { createFakePlatform } from '../fake-platform'
import { checkFlows } from './check-flows'
import { hashText, VALIDATOR } from './flows-cache'
import * as validation from './validate-flows'

// Counts validations while calling through: a checked document must start without one.
vi.mock('./validate-flows', async (actual) => {
  const real = await actual<typeof validation>()
  return { ...real, validateFlows: vi.fn(real.validateFlows) }
})
const validated = vi.mocked(validation.validateFlows)
afterEach(() => validated.mockClear())

const doc = {
  version: 1,
  tours: [{ id: 'welcome', trigger: { event: 'Signed Up' }, steps: [{ id: 'a', title: 'Hi', body: 'Welcome.' }] }],
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Asked' } }],
}

/** What the vendor deploys: the stamped document as a file, read back by a browser. */
async function deployed(input: unknown) {
  const result = await checkFlows(input)
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '))
  return JSON.parse(JSON.stringify(result.document, null, 2))
}

async function load(shared: Map<string, string>, flows: object | string) {
  const errors: string[] = []
  const linger = createLinger({ key: 'pk_test', flows }, { platform: createFakePlatform({ shared }) })
  linger.on('error', (e: { code: string; message: string }) => errors.push(`${e.code}: ${e.message}`))
  await linger.ready
  return { linger, errors }
}

describe('a flows document checked before it ships', () => {
  it('starts on a first visit without being validated, and runs what the document holds', async () => {
    const checked = await deployed(doc)
    validated.mockClear()
    const { linger, errors } = await load(new Map(), checked)
    expect(validated).not.toHaveBeenCalled()
    expect(errors).toEqual([])
    expect(linger.why('welcome').reasons).not.toEqual(['unknown-experience'])
    expect(linger.why('nps').reasons).not.toEqual(['unknown-experience'])
  })

  it('runs exactly what validating it in the browser would have run', async () => {
    const shared = new Map<string, string>()
    const checked = await deployed(doc)
    validated.mockClear()
    await load(shared, checked)
    expect(validated).not.toHaveBeenCalled()
    const fromStamp = [...shared].find(([k]) => k.startsWith('linger:flows:'))![1]
    const plain = new Map<string, string>()
    await load(plain, doc)
    const fromValidation = [...plain].find(([k]) => k.startsWith('linger:flows:'))![1]
    expect(JSON.parse(fromStamp)).toEqual(JSON.parse(fromValidation))
  })

  it('an edit after the check is validated as usual, and its problems are reported', async () => {
    const checked = await deployed(doc)
    checked.tours[0].steps = []
    validated.mockClear()
    const { linger, errors } = await load(new Map(), checked)
    expect(validated).toHaveBeenCalledTimes(1)
    expect(errors.some((e) => e.startsWith('invalid-config: tours[0].steps'))).toBe(true)
    expect(linger.why('welcome').reasons).toEqual(['unknown-experience'])
    // The stamp itself is no problem: a document checked by another version is only validated.
    expect(errors.some((e) => e.includes('$checked'))).toBe(false)
  })

  it('a stamp written by another validator is validated as usual', async () => {
    const checked = await deployed(doc)
    checked.$checked = checked.$checked.replace(/^[^:]+/, '0.0.9+1')
    validated.mockClear()
    const { errors } = await load(new Map(), checked)
    expect(validated).toHaveBeenCalledTimes(1)
    expect(errors).toEqual([])
  })

  it('starts without validation where the page has no SHA-1 either (an http page): the stamp carries the script hash too', async () => {
    const checked = await deployed(doc)
    expect(checked.$checked.split(':').at(-1)).toBe(hashText(JSON.stringify({ ...checked, $checked: undefined })))
    vi.stubGlobal('crypto', undefined)
    try {
      validated.mockClear()
      const { linger } = await load(new Map(), checked)
      expect(validated).not.toHaveBeenCalled()
      expect(linger.why('welcome').reasons).not.toEqual(['unknown-experience'])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('a proxy that throws is a problem reported, not a throw', async () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no') }, has: () => true, get: () => { throw new Error('no') } })
    const result = await checkFlows(hostile)
    expect(result.ok).toBe(false)
  })

  it('a document with any problem is not stamped: each problem is named by its path', async () => {
    const result = await checkFlows({ ...doc, tours: [{ id: 'welcome', steps: [] }], extras: 1 })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((e) => e.path)).toEqual(['extras', 'tours[0].steps'])
  })

  it('an experience at the values limit that validation’s defaults take over it is not stamped (a browser would run it unchecked)', async () => {
    // A cancel flow of exactly 20,000 values (the most one experience may have), its audience a
    // large rule; validation fills in its missing `offers: []`, one value more.
    const values = (v: unknown): number => (typeof v !== 'object' || v === null ? 1 : 1 + Object.values(v).reduce((n: number, x) => n + values(x), 0))
    // A rule list holds at most 50 rules: `rules` event rules, nested in lists of 50, two deep.
    const chunks = <T,>(list: T[]) => Array.from({ length: Math.ceil(list.length / 50) }, (_, i) => list.slice(i * 50, i * 50 + 50))
    const flow = (rules: number) => {
      const groups = chunks(Array.from({ length: rules }, () => ({ event: 'Go' }))).map((all) => ({ all }))
      const audience = { any: chunks(groups).map((any) => ({ any })) }
      return { id: 'save', trigger: { selector: '#cancel' }, reasons: [{ id: 'price', label: 'Too expensive' }], audience }
    }
    let rules = 9000
    while (values(flow(rules + 1)) <= 20_000) rules++
    const atLimit = { version: 1, cancelFlow: flow(rules) }
    expect(values(atLimit.cancelFlow)).toBeGreaterThan(19_997)
    expect(validation.validateFlows(atLimit).errors).toEqual([])
    const result = await checkFlows(atLimit)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((e) => e.message)).toEqual(['cancelFlow: is too large (over 20000 values) (in the checked copy, defaults filled in)'])
    // With its offers written out, nothing is added: stamped, and a second check agrees.
    const once = await deployed({ version: 1, cancelFlow: { ...flow(rules - 1), offers: [] } })
    expect(await deployed(once)).toEqual(once)
  })

  it('a valid document larger than a browser loads is not stamped', async () => {
    const body = 'x'.repeat(450)
    const steps = Array.from({ length: 50 }, (_, j) => ({ id: `s${j}`, title: 'Hi', body }))
    const big = { version: 1, tours: Array.from({ length: 96 }, (_, i) => ({ id: `t${i}`, trigger: { event: 'Go' }, steps })) }
    expect(validation.validateFlows(big).errors).toEqual([])
    const result = await checkFlows(big)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^flows is \d{7} characters as checked, over the 2000000 a browser loads from a flows URL$/)])
  })

  it('the text of a file is read as a browser reads a served one: a byte-order mark is no problem, broken JSON is named in the browser’s words', async () => {
    const text = JSON.stringify(doc, null, 2)
    const withBom = await checkFlows(`\uFEFF${text}`)
    expect(withBom).toEqual({ ok: true, document: await checkFlows(doc).then((r) => r.ok && r.document) })
    expect(await checkFlows('{\n  "version": 1\n  "tours": []\n}')).toEqual({ ok: false, errors: [{ path: '', message: 'is not valid JSON at line 3, column 3', rule: 'invalid_json' }] })
    expect(await checkFlows('<!doctype html><title>Acme</title>')).toEqual({ ok: false, errors: [{ path: '', message: 'is an HTML page, not JSON (check the flows URL)', rule: 'invalid_json' }] })
  })

  it('checking a checked document again gives the same document', async () => {
    const once = await deployed(doc)
    expect(await deployed(once)).toEqual(once)
  })
})

describe('npm run flows:check', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
  const dir = mkdtempSync(join(tmpdir(), 'linger-check-'))
  // vite's module runner starting cold in a child process: seconds on a busy machine.
  const command = (script: string) => (...args: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr!.on('data', (d) => (stderr += d))
      child.on('error', (e) => done({ status: null, stderr: String(e) }))
      child.on('close', (status) => done({ status, stderr }))
    })
  const run = command(join(root, 'scripts/check-flows.mjs'))
  afterEach(() => rmSync(join(dir, 'out.json'), { force: true }))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the stamped document a browser starts without validating', async () => {
    writeFileSync(join(dir, 'flows.json'), JSON.stringify(doc))
    const r = await run(join(dir, 'flows.json'), '--out', join(dir, 'out.json'))
    expect(r.status, r.stderr).toBe(0)
    const written = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))
    expect(written).toEqual(await deployed(doc))
  }, 60_000)

  it('is the command @linger/sdk installs (linger-flows-check, on the built package): the same stamped document, the same failures', async () => {
    const sdk = join(root, 'packages/sdk')
    const bin = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')).bin['linger-flows-check']
    const installed = command(join(sdk, bin))
    writeFileSync(join(dir, 'flows.json'), JSON.stringify(doc))
    const r = await installed(join(dir, 'flows.json'), '--out', join(dir, 'out.json'))
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual(await deployed(doc))
    rmSync(join(dir, 'out.json'))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...doc, surveys: [{ id: 'nps', kind: 'nps' }] }))
    const bad = await installed(join(dir, 'bad.json'), '--out', join(dir, 'out.json'))
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain(`${join(dir, 'bad.json')}: surveys[0].question`)
    expect(existsSync(join(dir, 'out.json'))).toBe(false)
  }, 60_000)

  it('writes a large document unindented when indenting alone would take it over the size a browser loads', async () => {
    const steps = Array.from({ length: 50 }, (_, j) => ({ id: `s${j}`, title: 'Hi', body: 'x'.repeat(350) }))
    const large = { version: 1, tours: Array.from({ length: 96 }, (_, i) => ({ id: `t${i}`, trigger: { event: 'Go' }, steps })) }
    expect(JSON.stringify(await deployed(large), null, 2).length).toBeGreaterThan(2_000_000)
    writeFileSync(join(dir, 'large.json'), JSON.stringify(large))
    const r = await run(join(dir, 'large.json'), '--out', join(dir, 'out.json'))
    expect(r.status, r.stderr).toBe(0)
    const text = readFileSync(join(dir, 'out.json'), 'utf8')
    expect(text.length).toBeLessThanOrEqual(2_000_000)
    expect(JSON.parse(text)).toEqual(await deployed(large))
  }, 60_000)

  it('checks a file saved with a byte-order mark (as Windows editors do), which browsers read, and says where a broken one broke as the browser does', async () => {
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(doc, null, 2)}`)
    const r = await run(join(dir, 'bom.json'), '--out', join(dir, 'out.json'))
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual(await deployed(doc))
    // V8's own message for this one names no place.
    writeFileSync(join(dir, 'broken.json'), '{\n  "version": 1,\n  "tours": \n}')
    const broken = await run(join(dir, 'broken.json'))
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain(`${join(dir, 'broken.json')}: is not valid JSON at line 4, column 1\n`)
  }, 60_000)

  it('fails on a document with a problem, naming the file and the path, and writes nothing', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...doc, surveys: [{ id: 'nps', kind: 'nps' }] }))
    const r = await run(join(dir, 'bad.json'), '--out', join(dir, 'out.json'))
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`${join(dir, 'bad.json')}: surveys[0].question`)
    expect(existsSync(join(dir, 'out.json'))).toBe(false)
  }, 60_000)
})

describe('the validator named in stamps and cached validations', () => {
  it('changes whenever validation does (when this fails: bump VALIDATOR in flows-cache.ts, then record the new sources here)', () => {
    // Every module validation runs, followed through its (non-type) relative imports: a change
    // in any of them may accept what it refused, so old stamps must not be trusted any more.
    const sources = new Map<string, string>()
    const visit = (file: string) => {
      if (sources.has(file)) return
      // Line endings as git checked them out do not change what validation does.
      const text = readFileSync(file, 'utf8').replaceAll('\r\n', '\n')
      sources.set(file, text)
      for (const [, path] of text.matchAll(/^(?:import|export) (?!type )[^'"]*?from '(\.{1,2}\/[^']+)'/gm)) {
        const base = resolve(dirname(file), path)
        visit(existsSync(`${base}.ts`) ? `${base}.ts` : `${base}/index.ts`)
      }
    }
    const here = dirname(fileURLToPath(import.meta.url))
    visit(join(here, 'validate-flows.ts'))
    const digest = createHash('sha1')
      .update([...sources].map(([f, t]) => `${relative(here, f).split(sep).join('/')}\n${t}`).sort().join('\n'))
      .digest('hex')
    // zod decides what validation accepts as much as our sources do: its version too.
    const zod = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('zod/package.json'), 'utf8')).version
    // Recorded without a bump in the fiftieth round: the schemas are built per kind when first read,
    // and what validation accepts did not change (7,943 altered documents judged alike by both).
    // And in the fifty-third round: flows-schema.ts gained a type (FlowsInput), no code.
    expect({ validator: VALIDATOR, sources: digest, zod }).toEqual({ validator: '0.1.0+19', sources: '79c5e6f5d6804241ac5d1854168a334800b6742f', zod: '4.6.7' })
  })
})
