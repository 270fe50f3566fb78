// Gzip bytes per entry against its budget (`npm run size`; the same numbers are asserted by
// scripts/size.test.ts in `npm test`).
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { budgets } from './budgets.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const cdnDir = () => process.env.LINGER_CDN_DIR ?? join(root, 'dist/cdn')
const gz = (buf) => gzipSync(buf, { level: 9 }).length

/** [{ name, bytes, budget, files }] for the snippet, the eager runtime and each widget chunk. */
export function measure() {
  const dir = cdnDir()
  const rows = []
  const snippet = readFileSync(join(dir, 'snippet.html'))
  rows.push({ name: 'snippet', bytes: gz(snippet), files: ['snippet.html'] })
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  const entry = Object.values(manifest).find((c) => c.isEntry)
  const walk = (file, into) => {
    const chunk = manifest[file]
    if (!chunk || into.has(file)) return into
    into.add(file)
    chunk.imports.forEach((f) => walk(f, into))
    return into
  }
  const eagerFiles = walk(entry.file, new Set())
  rows.push({ name: 'linger.js (eager runtime)', bytes: sum(dir, eagerFiles), files: [...eagerFiles] })
  // Lazy parts, each priced with what it pulls in beyond what is always there before it.
  // Start loads first, always; every other lazy part loads after it (the engine, validation, the
  // sync, adopting, sending from a worker): what they share with it is start's.
  const startChunk = Object.values(manifest).find((c) => /sdk\/src\/config\/boot\.ts$/.test(c.facade ?? ''))
  const startFiles = startChunk ? walk(startChunk.file, new Set()) : new Set()
  // The widgets platform (Preact, Shadow DOM surfaces, theme, focus, the English catalog): paid
  // once, by the first widget a page shows. Each UI row is then what that widget adds.
  const byFacade = (re) => Object.values(manifest).find((c) => re.test(c.facade ?? ''))
  const platformFiles = new Set()
  for (const c of [byFacade(/platform\/create-context\.ts$/), byFacade(/platform\/messages\/en\.ts$/)]) if (c) walk(c.file, platformFiles)
  for (const c of Object.values(manifest)) if (!c.facade && /^chunks\/(platform|boundary|focus|use-store)-/.test(c.file)) walk(c.file, platformFiles)
  for (const f of eagerFiles) platformFiles.delete(f)
  rows.push({ name: 'widgets platform', bytes: sum(dir, platformFiles), files: [...platformFiles] })
  for (const chunk of Object.values(manifest)) {
    if (!chunk.isDynamicEntry || !chunk.facade) continue
    const view = /widgets\/src\/([\w-]+)\/view\.tsx$/.exec(chunk.facade)
    const engine = /sdk\/src\/engine\.ts$/.test(chunk.facade)
    const start = /sdk\/src\/config\/boot\.ts$/.test(chunk.facade)
    const validation = /sdk\/src\/config\/validate-flows\.ts$/.test(chunk.facade)
    const extra = EXTRA_CHUNKS.find(([re]) => re.test(chunk.facade))?.[1]
    const name = view
      ? `${view[1]} UI`
      : engine
        ? 'engine and experience controllers (flows with something to show)'
        : start
          ? 'start (flows loading, options check, scheduled sending)'
          : validation
            ? 'flows validation (zod; a document not seen before)'
            : (extra ?? null)
    if (!name) continue
    const files = walk(chunk.file, new Set())
    for (const f of eagerFiles) files.delete(f)
    if (!start) for (const f of startFiles) files.delete(f)
    if (view) for (const f of platformFiles) files.delete(f)
    rows.push({ name, bytes: sum(dir, files), files: [...files] })
  }
  return rows.map((r) => ({ ...r, budget: budgets[r.name] }))
}

/** Lazy chunks outside the experiences and widgets folders, each with its own budget row. */
const EXTRA_CHUNKS = [
  [/sdk\/src\/config\/config-notice\.ts$/, 'config notice (only with a broken document)'],
  [/sdk\/src\/sync\/state-sync\.ts$/, 'state sync (verified users)'],
  [/sdk\/src\/sync\/leaderboard\.ts$/, 'leaderboard (verified users)'],
  [/sdk\/src\/transport\/adopt\.ts$/, 'adopting a gone tab’s outbox (when another tab’s is in storage)'],
  [/sdk\/src\/transport\/off-thread\.ts$/, 'sending from a worker (`sendFromWorker: true`)'],
  [/sdk\/src\/transport\/refusals\.ts$/, 'reporting refused events (an answer that names them)'],
]

function sum(dir, files) {
  return [...files].reduce((n, f) => n + gz(readFileSync(join(dir, f))), 0)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(join(cdnDir(), 'manifest.json'))) {
    console.error('no build found: run `npm run build` first')
    process.exit(1)
  }
  let over = 0
  console.log('entry                          gzip B   budget B   used')
  for (const r of measure()) {
    const pct = r.budget ? `${Math.round((r.bytes / r.budget) * 100)}%` : 'no budget'
    if (!r.budget || r.bytes > r.budget) over++
    console.log(`${r.name.padEnd(30)} ${String(r.bytes).padStart(7)}   ${String(r.budget ?? '-').padStart(8)}   ${pct}${r.budget && r.bytes > r.budget ? '  OVER' : ''}`)
  }
  process.exit(over ? 1 : 0)
}
