// Builds every entry: the npm packages (ESM), the script-tag runtime with its lazy chunks, and
// the snippet exactly as a vendor pastes it. One vite build per entry, sharing these settings.
import { build } from 'vite'
import { rolldown } from 'rolldown'
import { readFile, writeFile, rm, mkdir, mkdtemp, cp, readdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const alias = {
  '@linger/sdk': join(root, 'packages/sdk/src/index.ts'),
  '@linger/widgets': join(root, 'packages/widgets/src/index.ts'),
}
const common = {
  configFile: false,
  root,
  logLevel: 'warn',
  resolve: { alias },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
}

/**
 * The script-tag runtime shares nothing with the page but `window.linger`: libraries that keep
 * state on `globalThis` (nanostores' epoch, zod's config) get a private object instead, so a host
 * using the same libraries neither sees Linger's state nor changes it.
 */
const PRIVATE_GLOBALS = [/node_modules\/nanostores\/atom\/index\.js$/, /node_modules\/zod\/v4\/core\/core\.js$/]
export const privateGlobals = {
  name: 'linger-private-globals',
  transform(code, id) {
    if (!PRIVATE_GLOBALS.some((re) => re.test(id.split('?')[0].replaceAll('\\', '/')))) return null
    if (!code.includes('globalThis')) throw new Error(`${id}: expected globalThis state to make private; the library changed`)
    return { code: `const __lingerPrivate = {};\n${code.replace(/\bglobalThis\b/g, '__lingerPrivate')}`, map: null }
  },
}

// UI chunks load at idle ahead of their first render (the prefetch in widgets/src/mount.ts). This
// V8 compile hint has every function in them compiled then, at idle, instead of lazily inside the
// first render after a trigger (5–12 ms of it). https://v8.dev/blog/explicit-compile-hints
// Only where most of that code is (Preact, floating-ui, each view): ~30 B each.
// Start-up too: most of the eager runtime, the flows loader and validation (zod builds its
// schemas and walks the document) runs before ready on a first load, where nothing is in V8's
// code cache; compiled with the hint, on the streaming thread, instead of function by function on
// the main thread. Paired runs (bench/ab.mjs ready, 7 each): first-load CPU before ready 0.82×
// with the example flows, 0.87× with 50 experiences; a returning page (code cache) unchanged.
// Not the engine's chunk (with the controllers): each page uses a part of it (tried in an earlier round of issue 12).
// Nor the engine's start-up part split from the controllers (round 45: an engine chunk with the
// hint, the rules it shares with the controllers in a hinted chunk of their own, the controllers
// without it; a cycle between two chunks is a TDZ error at start): first and second loads within
// the noise (bench/ab.mjs ready,third,ready-one, 8 each: example flows 1.02x / 0.95x, one survey
// 0.86x / 1.06x, and with the controllers fetched beside the engine 0.95x / 1.03x, 1.03x / 1.06x)
// for 1.3 KB gzip more on the engine's row.
// The widgets platform (surfaces, focus, the mount that loads a view) too: every first render runs
// most of it. Paired runs (bench/ab.mjs render, 6 each), warm first render: tour 0.84×, survey
// 0.89×, cancel flow 0.91×, checklist 0.93×, badge toast 0.94×.
const COMPILE_AT_LOAD = /node_modules\/(preact|@floating-ui)\/|packages\/widgets\/src\/([\w-]+\/view\.tsx|mount\.ts|platform\/(create-context|focus)\.ts)$/
const START_UP = /packages\/sdk\/src\/config\/(boot|validate-flows)\.ts$/
// The engine's chunk holds the widgets mount too (mountInEngine), but stays without the hint.
const ENGINE_CHUNK = /packages\/sdk\/src\/engine\.ts$/
export const compileAtLoad = (chunk) => {
  const facade = (chunk.facadeModuleId ?? '').replaceAll('\\', '/')
  return chunk.isEntry || START_UP.test(facade) || (!ENGINE_CHUNK.test(facade) && chunk.moduleIds.some((id) => COMPILE_AT_LOAD.test(id.replaceAll('\\', '/'))))
    ? '//# allFunctionsCalledOnLoad'
    : undefined
}

/**
 * The script-tag runtime's widgets mount, in the engine's chunk: the two always load together
 * (only for a document with something to show), so a page fetched, compiled and ran one file
 * more before ready for nothing. Paired runs on a loaded machine (load average 15-32), a
 * returning page's main-thread CPU to ready: example flows 0.91x (8 each) and 0.97x (bench/ab.mjs
 * ready, 6 each), one survey 0.90x, one tour 0.93x, 50 experiences 0.97x; first loads unchanged.
 * Every page with something to show gets ~300 B less gzip (the mount compresses with the engine).
 * The mount is reached through the start chunk, which imports the engine: asked for from the
 * runtime directly, the engine would no longer follow start, and what the two share would move
 * to files of their own, fetched before ready on every page. The npm packages are not touched.
 */
/** What every widget view imports: one shared chunk, `chunks/platform-…js` (scripts/size.mjs). */
export const WIDGETS_SHARED = /node_modules[\\/]preact[\\/]|packages[\\/]widgets[\\/]src[\\/]platform[\\/](boundary|use-store|safe-url)\.tsx?$/

const sourceOf = (rel) => join(root, rel)
const MOUNT_AT = { cdn: sourceOf('packages/widgets/src/cdn.ts'), boot: sourceOf('packages/sdk/src/config/boot.ts'), engine: sourceOf('packages/sdk/src/engine.ts'), mount: sourceOf('packages/widgets/src/mount.ts') }
export const mountInEngine = {
  name: 'linger-mount-in-engine',
  transform(code, id) {
    const file = id.split('?')[0]
    if (file === MOUNT_AT.engine) return { code: `${code}\nexport { mountWidgets } from ${JSON.stringify(MOUNT_AT.mount)}\n`, map: null }
    if (file === MOUNT_AT.boot) return { code: `${code}\nexport const mount = () => import(${JSON.stringify(MOUNT_AT.engine)})\n`, map: null }
    if (file !== MOUNT_AT.cdn) return null
    if (!code.includes("import('./mount')")) throw new Error(`${id}: expected import('./mount') to load the mount from the engine's chunk; the runtime changed`)
    // An engine that did not load has nothing to mount, and start reports it (once).
    const viaStart = `import(${JSON.stringify(MOUNT_AT.boot)}).then((start) => start.mount().catch(() => ({ mountWidgets() {} })))`
    return { code: code.replace("import('./mount')", viaStart), map: null }
  },
}

export async function buildAll() {
  const cdn = process.env.LINGER_CDN_DIR ?? join(root, 'dist/cdn')
  await rm(cdn, { recursive: true, force: true })

  // npm packages: dependencies stay external, the vendor's bundler dedupes them. A side build
  // into LINGER_CDN_DIR (an engineer's own test run) only needs the runtime.
  if (!process.env.LINGER_CDN_DIR) for (const [pkg, external] of [
    ['sdk', [/^nanostores/, /^zod/]],
    ['widgets', [/^nanostores/, /^preact/, /^@floating-ui/, /^@linger\/sdk/]],
  ]) {
    await build({
      ...common,
      resolve: pkg === 'widgets' ? { alias: { '@linger/widgets': alias['@linger/widgets'] } } : common.resolve,
      build: {
        outDir: join(root, 'packages', pkg, 'dist'),
        emptyOutDir: true,
        minify: false,
        sourcemap: true,
        lib: { entry: join(root, 'packages', pkg, 'src/index.ts'), formats: ['es'], fileName: 'index' },
        rollupOptions: { external },
      },
    })
  }
  if (!process.env.LINGER_CDN_DIR) {
    await emitTypes()
    // The JSON Schema ships in the package: a vendor's editor completes flows.json with
    // "$schema": "./node_modules/@linger/sdk/dist/flows.schema.json", no repository needed.
    const { runnerImport } = await import('vite')
    const { module } = await runnerImport(join(root, 'packages/sdk/src/config/flows-json-schema.ts'), { root, configFile: false, logLevel: 'error' })
    await writeFile(join(root, 'packages/sdk/dist/flows.schema.json'), `${JSON.stringify(module.flowsJsonSchema(), null, 2)}\n`)
  }

  // The script-tag runtime: an ES module, so widget UIs and experience logic are real lazy
  // chunks beside it. Built with rolldown directly: vite's preload helper would add ~1 KB gzip
  // to every page for a feature (CSS preloading) the runtime does not use.
  const bundle = await rolldown({
    input: { linger: join(root, 'packages/widgets/src/cdn.ts') },
    resolve: { alias },
    plugins: [privateGlobals, mountInEngine],
    tsconfig: false,
    // es2021: the runtime's baseline is Object.hasOwn (Chrome 93, Safari 15.4, Firefox 92), later than
    // every engine that parses `??=`; es2020 spelled each one out (~90 B gzip over the chunks).
    transform: { jsx: { runtime: 'automatic', importSource: 'preact' }, target: 'es2021', define: { __LINGER_DOM__: 'true' } },
    platform: 'browser',
    logLevel: 'warn',
  })
  const { output } = await bundle.write({
    dir: cdn,
    format: 'es',
    // LINGER_MINIFY=0: readable function names, for profiling a side build.
    minify: process.env.LINGER_MINIFY !== '0',
    // LINGER_SOURCEMAP=1: maps beside each file, for scripts/dev/size-modules.mjs (bytes per module).
    sourcemap: process.env.LINGER_SOURCEMAP === '1',
    // `/* @__PURE__ */` marks help a bundler that reads this code; these files go straight to
    // browsers, where they are only bytes (20 in the eager runtime alone). Licences stay.
    comments: { legal: true, annotation: false, jsdoc: false },
    postBanner: compileAtLoad,
    // Every widget view loads Preact, the error boundary, the store hook and the link check
    // together: one file instead of four (each file is gzipped on its own and imports the others'
    // exports by name). Not focus.ts: the platform's own chunk imports it, and a page that loads
    // the platform only to ask whether the screen is calm would then load Preact for nothing.
    codeSplitting: { groups: [{ name: 'platform', test: WIDGETS_SHARED }] },
    entryFileNames: '[name].js',
    // Widget chunks are named for their experience (checklist-…js), so sizes read clearly.
    chunkFileNames: (chunk) => {
      const view = /widgets\/src\/([\w-]+)\/view\.tsx$/.exec(chunk.facadeModuleId ?? '')
      return `chunks/${view ? view[1] : '[name]'}-[hash:6].js`
    },
  })
  await bundle.close()
  // What loads what: scripts/size.mjs reads it to price each entry with the chunks it pulls in.
  const manifest = Object.fromEntries(
    output
      .filter((o) => o.type === 'chunk')
      .map((o) => [o.fileName, { file: o.fileName, isEntry: o.isEntry, isDynamicEntry: o.isDynamicEntry, facade: o.facadeModuleId ? relative(root, o.facadeModuleId) : null, imports: o.imports }]),
  )
  await writeFile(join(cdn, 'manifest.json'), JSON.stringify(manifest, null, 2))

  // The snippet: minified to one line and wrapped in the script tag a vendor pastes.
  const tmp = join(cdn, '..', '.snippet-' + process.pid)
  await build({
    ...common,
    build: {
      outDir: tmp,
      emptyOutDir: true,
      target: 'es2015',
      minify: true,
      lib: { entry: join(root, 'packages/sdk/src/snippet/snippet.js'), formats: ['iife'], name: 'lingerSnippet', fileName: () => 'snippet.js' },
    },
  })
  const code = (await readFile(join(tmp, 'snippet.js'), 'utf8')).trim()
  await rm(tmp, { recursive: true, force: true })
  await mkdir(cdn, { recursive: true })
  await writeFile(join(cdn, 'snippet.html'), `<script>${code}</script>\n`)
}

/**
 * Each package's declarations in its dist/types, where its package.json points a vendor's
 * compiler: pointed at our sources, it checked them with the vendor's own flags (NodeNext's
 * extensions, noUncheckedIndexedAccess…) and failed, skipLibCheck or not.
 */
async function emitTypes() {
  const { execFileSync } = await import('node:child_process')
  const out = await mkdtemp(join(tmpdir(), 'linger-types-'))
  const config = join(out, 'tsconfig.json')
  const compilerOptions = { noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: join(out, 'out'), rootDir: join(root, 'packages'), types: [] }
  await writeFile(config, JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions, include: [], files: ['sdk', 'widgets'].map((p) => join(root, 'packages', p, 'src/index.ts')) }))
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', config], { stdio: 'inherit' })
    for (const pkg of ['sdk', 'widgets']) {
      const dir = join(root, 'packages', pkg, 'dist/types')
      await cp(join(out, 'out', pkg, 'src'), dir, { recursive: true })
      // Relative imports with their extension: NodeNext resolves no other, and read every type
      // behind an extensionless one as `any` (a bare `..` too: tsc writes `import("..")` for a
      // type from the folder's index).
      for (const file of (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.d.ts'))) {
        const path = join(dir, file)
        const text = await readFile(path, 'utf8')
        const withExt = text.replace(/((?:from |import\()(['"]))(\.{1,2}(?:\/[^'"]*)?)\2/g, (all, head, quote, spec) => {
          const base = join(dirname(path), spec)
          const to = existsSync(`${base}.d.ts`) ? `${spec}.js` : existsSync(join(base, 'index.d.ts')) ? `${spec}/index.js` : spec
          return `${head}${to}${quote}`
        })
        if (withExt !== text) await writeFile(path, withExt)
      }
    }
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

/** The reference collector (server and dashboard) builds with its own package script. */
export async function buildCollector() {
  const { spawnSync } = await import('node:child_process')
  const r = spawnSync(process.execPath, [join(root, 'packages/collector/scripts/build.mjs')], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('collector build failed')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll()
  // A side build (LINGER_CDN_DIR) is an engineer's runtime-only test run.
  if (!process.env.LINGER_CDN_DIR) await buildCollector()
  console.log('built dist/cdn (runtime, chunks, snippet.html), packages/*/dist, the collector')
}
