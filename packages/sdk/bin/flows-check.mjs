#!/usr/bin/env node
// `linger-flows-check <flows.json> [--out <checked.json>]` (installed with @linger/sdk; in this
// repository `npm run flows:check --`): validates a flows document before it ships and writes it
// stamped (to --out, else to standard output). A browser that finds the stamp matching starts
// the document without validating it: on a first visit, no validation chunk and none of the time
// it takes. Any problem fails the check (exit 1), each printed with its path.
import { readFile, writeFile } from 'node:fs/promises'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The command, given the SDK's check (the built package here, the TypeScript sources through
 * vite in the repository's own script). Resolves to the exit code.
 */
export async function flowsCheck(argv, { checkFlows, MAX_FLOWS_BYTES }, usage = 'linger-flows-check') {
  const args = [...argv]
  // Asked how to use it, it says so: `--help` is no flows file to read.
  if (args.some((a) => a === '--help' || a === '-h')) {
    console.log(`usage: ${usage} <flows.json> [--out <checked.json>]`)
    return 0
  }
  const outAt = args.indexOf('--out')
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined
  if (args.length !== 1 || (outAt >= 0 && !out)) {
    console.error(`usage: ${usage} <flows.json> [--out <checked.json>]`)
    return 2
  }
  let source
  try {
    source = await readFile(args[0], 'utf8')
  } catch (e) {
    console.error(`${args[0]}: ${e.message}`)
    return 1
  }
  // The text itself where it does not parse as it stands (a byte-order mark, broken JSON): the
  // check reads it as a browser reads it served, and says what is wrong in the browser's words.
  let input = source
  try {
    input = JSON.parse(source)
  } catch {}
  const result = await checkFlows(input)
  if (!result.ok) {
    for (const e of result.errors) console.error(`${args[0]}: ${e.message}`)
    console.error(`${result.errors.length} problem(s): not stamped.`)
    return 1
  }
  // Indented for the vendor to read, unless that alone would take it over the size a browser loads.
  const pretty = `${JSON.stringify(result.document, null, 2)}\n`
  const text = pretty.length > MAX_FLOWS_BYTES ? JSON.stringify(result.document) : pretty
  if (out) {
    try {
      await writeFile(out, text)
    } catch (e) {
      // A folder that is not there, no permission: one line, as the check's own problems are.
      console.error(`${out}: cannot write the stamped copy (${e.message})`)
      return 1
    }
    console.error(`${args[0]}: valid; stamped copy written to ${out}`)
  } else process.stdout.write(text)
  return 0
}

// Run as a command (npx, or the bin link npm makes), not imported by the repository's script.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await flowsCheck(process.argv.slice(2), await import('../dist/index.js'))
}
