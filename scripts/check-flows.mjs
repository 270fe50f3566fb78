// `npm run flows:check -- <flows.json> [--out <file>]`: validates a flows document before it
// ships and writes it stamped (to --out, else to standard output). A browser that finds the stamp
// matching starts the document without validating it: on a first visit, no validation chunk and
// none of the time it takes. Any problem fails the check (exit 1), each printed with its path.
// Vendors who bundle @linger/sdk can call its checkFlows() in their own build instead.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const outAt = args.indexOf('--out')
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined
if (args.length !== 1 || (outAt >= 0 && !out)) {
  console.error('usage: npm run flows:check -- <flows.json> [--out <checked.json>]')
  process.exit(2)
}
let input
try {
  input = JSON.parse(await readFile(args[0], 'utf8'))
} catch (e) {
  console.error(`${args[0]}: ${e.message}`)
  process.exit(1)
}
// Node cannot import TypeScript: vite's module runner loads the SDK's own check.
const { module } = await runnerImport(resolve(root, 'packages/sdk/src/config/check-flows.ts'), { root, configFile: false, logLevel: 'error' })
const result = await module.checkFlows(input)
if (!result.ok) {
  for (const e of result.errors) console.error(`${args[0]}: ${e.message}`)
  console.error(`${result.errors.length} problem(s): not stamped.`)
  process.exit(1)
}
// Indented for the vendor to read, unless that alone would take it over the size a browser loads.
const pretty = `${JSON.stringify(result.document, null, 2)}\n`
const text = pretty.length > module.MAX_FLOWS_BYTES ? JSON.stringify(result.document) : pretty
if (out) {
  await writeFile(out, text)
  console.error(`${args[0]}: valid; stamped copy written to ${out}`)
} else process.stdout.write(text)
