// Writes dist/flows.schema.json, the JSON Schema of the flows document, from the same zod
// schemas the SDK validates with, and docs/flows-reference.md, the field reference rendered from it. Node cannot import TypeScript, so vite's module runner loads
// the schema module.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(root, 'dist/flows.schema.json')

const { module } = await runnerImport(resolve(root, 'packages/sdk/src/config/flows-json-schema.ts'), {
  root,
  configFile: false,
  logLevel: 'error',
})
const schema = module.flowsJsonSchema()
await mkdir(dirname(out), { recursive: true })
await writeFile(out, `${JSON.stringify(schema, null, 2)}\n`)
console.log(`wrote ${out.slice(root.length + 1)} (${Object.keys(schema.properties).length} top-level properties)`)

const reference = await runnerImport(resolve(root, 'scripts/flows-reference.ts'), { root, configFile: false, logLevel: 'error' })
await writeFile(resolve(root, 'docs/flows-reference.md'), reference.module.renderFlowsReference(schema))
console.log('wrote docs/flows-reference.md')
