// Which modules make up the eager runtime, by minified bytes (a dev aid for the size budget).
import { rolldown } from 'rolldown'
import { join } from 'node:path'
const root = join(import.meta.dirname, '../..')
const bundle = await rolldown({ input: { linger: join(root, 'packages/widgets/src/cdn.ts') }, tsconfig: false, logLevel: 'silent', resolve: { alias: { '@linger/sdk': join(root, 'packages/sdk/src/index.ts') } }, transform: { jsx: { runtime: 'automatic', importSource: 'preact' }, target: 'es2020' } })
const { output } = await bundle.generate({ format: 'es', minify: true })
const entry = output.find((o) => o.type === 'chunk' && o.isEntry)
Object.entries(entry.modules).map(([id, m]) => [m.renderedLength, id.replace(root + '/', '')]).sort((a, b) => b[0] - a[0]).forEach(([n, id]) => console.log(String(n).padStart(7), id))
