import { build } from 'vite'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
const root = '/work/main'
const out = await build({ configFile: false, root, logLevel: 'silent', resolve: { alias: { '@linger/sdk': join(root, 'packages/sdk/src/index.ts') } }, oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { write: false, minify: true, target: 'es2020', rollupOptions: { input: { linger: process.argv[2] ?? join(root, 'packages/widgets/src/cdn.ts') }, preserveEntrySignatures: 'allow-extension', output: { format: 'es' } } } })
const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output)
const entry = outputs.find((o) => o.type === 'chunk' && o.isEntry)
const rows = Object.entries(entry.modules).map(([id, m]) => [id.replace(root + '/', ''), m.renderedLength]).sort((a, b) => b[1] - a[1])
for (const [id, len] of rows.slice(0, 45)) console.log(String(len).padStart(7), id)
console.log('total min', entry.code.length, 'gzip', gzipSync(entry.code).length)
