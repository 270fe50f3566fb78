import { rolldown } from 'rolldown'
import { join } from 'node:path'
const root = join(import.meta.dirname, '../..')
const bundle = await rolldown({ input: { linger: join(root, 'packages/widgets/src/cdn.ts') }, tsconfig: false, logLevel: 'silent', resolve: { alias: { '@linger/sdk': join(root, 'packages/sdk/src/index.ts') } }, transform: { jsx: { runtime: 'automatic', importSource: 'preact' }, target: 'es2020' } })
const { output } = await bundle.generate({ format: 'es', minify: true })
const eng = output.find((o) => o.type === 'chunk' && (o.facadeModuleId ?? '').endsWith('engine.ts'))
Object.entries(eng.modules).map(([id, m]) => [m.renderedLength, id.replace(root + '/', '')]).sort((a, b) => b[0] - a[0]).slice(0, 22).forEach(([n, id]) => console.log(String(n).padStart(7), id))
