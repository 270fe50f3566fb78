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
  const eagerFiles = new Set([entry.file])
  const walk = (key, into) => {
    const chunk = manifest[key]
    if (!chunk || into.has(chunk.file)) return
    into.add(chunk.file)
    ;(chunk.imports ?? []).forEach((k) => walk(k, into))
  }
  ;(entry.imports ?? []).forEach((k) => walk(k, eagerFiles))
  rows.push({ name: 'linger.js (eager runtime)', bytes: sum(dir, eagerFiles), files: [...eagerFiles] })
  for (const [key, chunk] of Object.entries(manifest)) {
    const m = /widgets\/src\/([\w-]+)\/view\.tsx$/.exec(key)
    if (!m || !chunk.isDynamicEntry) continue
    const files = new Set()
    walk(key, files)
    for (const f of eagerFiles) files.delete(f)
    rows.push({ name: m[1], bytes: sum(dir, files), files: [...files] })
  }
  return rows.map((r) => ({ ...r, budget: budgets[r.name] }))
}

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
