import { build } from 'rolldown'
import { join } from 'node:path'
const root = '/work/main'
const out = await build({
  input: { linger: join(root, 'packages/widgets/src/cdn.ts') },
  resolve: { alias: { '@linger/sdk': join(root, 'packages/sdk/src/index.ts') } },
  transform: { jsx: { runtime: 'automatic', importSource: 'preact' }, target: 'es2020' },
  platform: 'browser',
  write: false,
  output: { format: 'es', minify: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
})
const { gzipSync } = await import('node:zlib')
for (const o of out.output) if (o.type === 'chunk') console.log(o.fileName, o.code.length, gzipSync(o.code).length, o.imports.join(','))
