// Same-bundler builds of the competitors: each one's public entry, imported the way its docs
// show, bundled with rolldown (the bundler of our own runtime) into a minified ES module. The
// entry hangs what it imports on `window.__bench`, so nothing a user would call is shaken out,
// and the runtime benches load the very files the size table prices.
import { rolldown } from 'rolldown'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
// Read from node_modules directly: packages with an `exports` map hide their package.json.
const pkgVersion = async (root, name) => {
  try {
    return JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return null
  }
}

/**
 * `entry`: the eager code a page loads. `lazy`: what the library fetches later to render (posthog
 * loads its survey UI from its own CDN on first survey), bundled the same way. `css`: stylesheets
 * the docs tell you to include (ours is inside the JS, so theirs count too).
 */
export const competitors = [
  {
    id: 'shepherd',
    pkg: 'shepherd.js',
    what: 'tours: Shepherd + shepherd.css',
    entry: `import Shepherd from 'shepherd.js'; window.__bench = { Shepherd }`,
    css: ['shepherd.js/dist/css/shepherd.css'],
  },
  {
    id: 'driver',
    pkg: 'driver.js',
    what: 'tours: driver() + driver.css',
    entry: `import { driver } from 'driver.js'; window.__bench = { driver }`,
    css: ['driver.js/dist/driver.css'],
  },
  {
    id: 'intro',
    pkg: 'intro.js',
    what: 'tours: introJs + introjs.css',
    entry: `import introJs from 'intro.js'; window.__bench = { introJs }`,
    css: ['intro.js/minified/introjs.min.css'],
  },
  {
    id: 'formbricks',
    pkg: '@formbricks/js',
    what: 'surveys: npm loader only (the SDK itself is served by a Formbricks server, not on npm)',
    entry: `import formbricks from '@formbricks/js'; window.__bench = { formbricks }`,
  },
  {
    id: 'posthog-slim',
    pkg: 'posthog-js',
    what: 'analytics: posthog-js/dist/module.slim (capture, no extensions)',
    entry: `import posthog from 'posthog-js/dist/module.slim'; window.__bench = { posthog }`,
  },
  {
    id: 'posthog-surveys',
    pkg: 'posthog-js',
    what: 'surveys: module.slim + SurveysExtensions; lazy = dist/surveys (UI it fetches on first survey)',
    entry: `import posthog from 'posthog-js/dist/module.slim'; import { SurveysExtensions } from 'posthog-js/dist/extension-bundles'; window.__bench = { posthog, extensions: SurveysExtensions }`,
    lazy: `import 'posthog-js/dist/surveys'`,
  },
  {
    id: 'segment',
    pkg: '@segment/analytics-next',
    what: 'analytics: AnalyticsBrowser (its dynamic-import chunks in the lazy column)',
    entry: `import { AnalyticsBrowser } from '@segment/analytics-next'; window.__bench = { AnalyticsBrowser }`,
  },
]

async function bundle(dir, name, source, root) {
  // A virtual module placed in bench/, so bare imports resolve from the repo's node_modules.
  const input = join(root, 'bench', `.virtual-${name}.js`)
  const unresolved = []
  const build = await rolldown({
    input: { [name]: input },
    cwd: root,
    platform: 'browser',
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    plugins: [{ name: 'bench-entry', resolveId: (id) => (id === input ? id : null), load: (id) => (id === input ? source : null) }],
    onLog: (level, log) => {
      if (log.code === 'UNRESOLVED_IMPORT') unresolved.push(log.message)
    },
  })
  if (unresolved.length) {
    await build.close()
    throw new Error(unresolved[0])
  }
  const { output } = await build.write({ dir, format: 'es', minify: true, entryFileNames: '[name].js', chunkFileNames: `${name}-chunks/[name]-[hash].js` })
  await build.close()
  const chunks = output.filter((o) => o.type === 'chunk')
  return { entry: `${name}.js`, eager: [...staticallyLoaded(chunks)], all: chunks.map((c) => c.fileName) }
}

/** The entry and what it imports statically (loaded with it), as opposed to dynamic imports. */
function staticallyLoaded(chunks) {
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const seen = new Set()
  const walk = (c) => {
    if (!c || seen.has(c.fileName)) return
    seen.add(c.fileName)
    c.imports.forEach((f) => walk(byName.get(f)))
  }
  walk(chunks.find((c) => c.isEntry))
  return seen
}

/**
 * Builds every competitor into `dir/<id>/`. One that fails to install or build comes back with
 * `error` set, so the table says so instead of the run crashing.
 */
export async function buildCompetitors(dir, root) {
  const results = []
  for (const c of competitors) {
    const out = join(dir, c.id)
    const version = await pkgVersion(root, c.pkg)
    try {
      if (!version) throw new Error(`${c.pkg} is not installed (npm install)`)
      await mkdir(out, { recursive: true })
      const main = await bundle(out, 'entry', c.entry, root)
      const lazy = c.lazy ? await bundle(out, 'lazy', c.lazy, root) : null
      const css = await Promise.all((c.css ?? []).map((p) => readFile(join(root, 'node_modules', p))))
      results.push({ ...c, version, dir: out, main, lazy, css })
    } catch (e) {
      results.push({ ...c, version, error: String(e?.message ?? e).split('\n')[0] })
    }
  }
  return results
}
