import { mkdirSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { rolldown } from 'rolldown'
import { describe, expect, it } from 'vitest'

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..')

/** A vendor's app bundled as their own build would: the npm package's dist, minified, split. */
async function bundleApp(source: string) {
  const dir = mkdtempSync(join(tmpdir(), 'linger-npm-app-'))
  try {
    writeFileSync(join(dir, 'app.js'), source)
    const bundle = await rolldown({ input: join(dir, 'app.js'), resolve: { alias: { '@linger/sdk': join(sdk, 'dist/index.js') } }, logLevel: 'silent' })
    const { output } = await bundle.generate({ format: 'esm', minify: true })
    const chunks = output.filter((o) => o.type === 'chunk')
    // What the page loads before the app's code runs: the entry and every chunk it imports
    // statically (a bundler moves code both imported and lazily loaded into such a shared chunk).
    const eager = new Set<string>()
    const visit = (name: string) => {
      if (eager.has(name)) return
      eager.add(name)
      chunks.find((c) => c.fileName === name)?.imports.forEach(visit)
    }
    visit(chunks.find((c) => c.isEntry)!.fileName)
    const code = (names: Iterable<string>) => [...names].map((n) => chunks.find((c) => c.fileName === n)?.code ?? '').join('\n')
    return { entry: code(eager), all: code(chunks.map((c) => c.fileName)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('an app that installs @linger/sdk from npm', () => {
  it('loads no flows validation (zod) with the app: it loads only when the app checks a document', async () => {
    const app = await bundleApp(`import { createLinger } from '@linger/sdk'\nexport const linger = createLinger({ key: 'pk_live' })\n`)
    // The validator's own words, and zod's.
    expect(app.entry).not.toContain('is not a known section')
    expect(app.entry).not.toContain('$ZodType')
    // About the script tag's eager runtime (13.8 KB), not that plus validation (32.8 KB before).
    expect(gzipSync(app.entry, { level: 9 }).length).toBeLessThan(20_000)
  })

  it('still checks a document when the app asks (checkFlows loads validation then)', async () => {
    const app = await bundleApp(`import { checkFlows } from '@linger/sdk'\nexport const check = (doc) => checkFlows(doc)\n`)
    expect(app.all).toContain('is not a known section')
    const { checkFlows } = await import(join(sdk, 'dist/index.js'))
    expect(await checkFlows({ version: 1, anouncements: [] })).toMatchObject({ ok: false, errors: [{ path: 'anouncements' }] })
  })

  it("has the flows document's JSON Schema for the vendor's editor, as the README points to it", () => {
    const schema = JSON.parse(readFileSync(join(sdk, 'dist/flows.schema.json'), 'utf8'))
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['surveys', 'checklists', 'cancelFlow']))
  })

  it("gives the example flows' editor completion from a fresh clone: its $schema is a file the build writes", () => {
    const example = join(sdk, '../../examples/flows.json')
    const pointer = JSON.parse(readFileSync(example, 'utf8')).$schema as string
    // npm start and npm test build; nobody runs npm run schema before opening the example.
    expect(join(dirname(example), pointer)).toBe(join(sdk, 'dist/flows.schema.json'))
  })

  // Jest in its default mode, ts-node and CommonJS server bundles require() the packages: with only
  // an "import" condition Node answered ERR_PACKAGE_PATH_NOT_EXPORTED. The packages as they ship
  // (their package.json), each entry a stand-in module.
  it('is found by a CommonJS project that require()s it (Jest, ts-node), as by an ES module one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linger-cjs-app-'))
    try {
      for (const pkg of ['sdk', 'widgets']) {
        const at = join(dir, 'node_modules/@linger', pkg)
        mkdirSync(join(at, 'dist'), { recursive: true })
        writeFileSync(join(at, 'package.json'), readFileSync(join(sdk, '..', pkg, 'package.json')))
        writeFileSync(join(at, 'dist/index.js'), `export const from = '${pkg}'\n`)
      }
      writeFileSync(join(dir, 'app.cjs'), "console.log(require('@linger/sdk').from, require('@linger/widgets').from)\n")
      writeFileSync(join(dir, 'app.mjs'), "const [s, w] = await Promise.all([import('@linger/sdk'), import('@linger/widgets')]); console.log(s.from, w.from)\n")
      const run = (file: string) => {
        try {
          return execFileSync(process.execPath, ['--no-warnings', join(dir, file)], { encoding: 'utf8', stdio: 'pipe' }).trim()
        } catch (e) {
          return String((e as { stderr?: string }).stderr).match(/Error.*$/m)?.[0]
        }
      }
      expect(run('app.cjs')).toBe('sdk widgets')
      expect(run('app.mjs')).toBe('sdk widgets')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
