// `npm run flows:check -- <flows.json> [--out <file>]`: the SDK's linger-flows-check command
// (packages/sdk/bin/flows-check.mjs), run on this repository's sources, so it needs no build.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'
import { flowsCheck } from '../packages/sdk/bin/flows-check.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// Node cannot import TypeScript: vite's module runner loads the SDK's own check.
const { module } = await runnerImport(resolve(root, 'packages/sdk/src/config/check-flows.ts'), { root, configFile: false, logLevel: 'error' })
process.exitCode = await flowsCheck(process.argv.slice(2), module, 'npm run flows:check --')
