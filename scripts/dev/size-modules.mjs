// Bytes per source module in each built file (`node scripts/dev/size-modules.mjs [file-pattern]`):
// what to cut first. Builds a side copy with source maps, then for every file gives each
// module's minified bytes and its marginal gzip cost (the file's gzip size minus the gzip size
// of the file without that module's bytes), largest first.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SourceMapConsumer } from 'source-map-js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const dir = process.env.LINGER_CDN_DIR ?? join(root, 'dist/size-modules')
const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length

if (!process.env.LINGER_CDN_DIR || !existsSync(join(dir, 'manifest.json'))) {
  process.env.LINGER_CDN_DIR = dir
  process.env.LINGER_SOURCEMAP = '1'
  await (await import('../build.mjs')).buildAll()
}

/** [[module, minified bytes, marginal gzip bytes]] for one built file. */
export function modulesOf(file) {
  const code = readFileSync(file, 'utf8')
  const map = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
  const lines = code.split('\n')
  const starts = [0]
  for (const l of lines) starts.push(starts.at(-1) + l.length + 1)
  // Every mapped segment runs to the next one on its line; unmapped bytes are the bundler's.
  const owner = new Array(code.length).fill('(bundler)')
  const segs = []
  map.eachMapping((m) => segs.push(m))
  segs.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn)
  segs.forEach((m, i) => {
    const next = segs[i + 1]
    const from = starts[m.generatedLine - 1] + m.generatedColumn
    const to = next && next.generatedLine === m.generatedLine ? starts[m.generatedLine - 1] + next.generatedColumn : starts[m.generatedLine]
    const src = m.source ? relative(root, m.source.replace(/^.*?(?=\/work|\/node_modules|packages\/)/, '')) : '(bundler)'
    for (let k = from; k < to; k++) owner[k] = src
  })
  const total = gz(code)
  const bytes = new Map()
  owner.forEach((s) => bytes.set(s, (bytes.get(s) ?? 0) + 1))
  return [...bytes]
    .map(([src, n]) => [src, n, total - gz([...code].filter((_, k) => owner[k] !== src).join(''))])
    .sort((a, b) => b[2] - a[2])
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv[2] ? new RegExp(process.argv[2]) : null
  const files = ['linger.js', ...readdirSync(join(dir, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => `chunks/${f}`)]
  for (const f of files) {
    if (only && !only.test(f)) continue
    const path = join(dir, f)
    console.log(`\n${f}  ${gz(readFileSync(path))} B gzip`)
    for (const [src, n, g] of modulesOf(path)) console.log(`  ${String(g).padStart(6)} gz ${String(n).padStart(7)} min  ${src.replace(/^.*node_modules\//, '~/')}`)
  }
}
