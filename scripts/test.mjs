// `npm test`: everything from a fresh clone — Chromium, type check, build, unit + browser tests
// (bundle budgets are tests too), then one line with the real totals.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts })
// CI keeps only the end of the log: every reason the run is red is named again just above the totals.
const failures = []
const step = (name, cmd, args, opts) => {
  console.log(`\n[test] ${name}`)
  const r = run(cmd, args, opts)
  if (r.status !== 0) {
    console.error(`[test] ${name} failed`)
    failures.push(`step "${name}" exited with ${r.status ?? r.signal} (its output is above)`)
    return false
  }
  return true
}
// Vitest's output streams through as it comes, and is kept, so that an error outside any test (an
// unhandled rejection, a worker that died) can be quoted at the end: the JSON report does not hold it.
const runKept = (cmd, args) => new Promise((resolve) => {
  const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] })
  let kept = ''
  const keep = (out) => (chunk) => {
    out.write(chunk)
    kept += chunk
    if (kept.length > 4e6) kept = kept.slice(-2e6)
  }
  child.stdout.on('data', keep(process.stdout))
  child.stderr.on('data', keep(process.stderr))
  child.on('close', (status, signal) => resolve({ status: status ?? signal, kept }))
})
// The "Unhandled Errors" block vitest prints, without its colours, cut to what fits a CI tail.
const unhandled = (text) => {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '')
  const at = plain.indexOf('Unhandled Error')
  if (at < 0) return ''
  return plain.slice(at).split('\n').filter((line) => line.trim() !== '').slice(0, 25).join('\n        ')
}

let ok = step('chromium', 'node', ['scripts/ensure-chromium.mjs'])
ok = step('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) && ok
ok = step('type check (collector)', 'npx', ['tsc', '-p', 'packages/collector/tsconfig.json', '--noEmit']) && ok
const built = step('build', 'node', ['scripts/build.mjs'])
ok = built && ok
// Built once here; test/global-setup.ts builds only for vitest runs started some other way.
process.env.LINGER_BUILT = '1'

const reports = join(root, 'test-results')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
let passed = 0
let failed = 0
const suites = [['root', 'vite.config.ts']]
if (existsSync(join(root, 'packages/collector/vitest.config.ts'))) suites.push(['collector', 'packages/collector/vitest.config.ts'])
for (const [name, config] of suites) {
  const out = join(reports, `${name}.json`)
  console.log(`\n[test] vitest (${name})`)
  const r = await runKept('npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`])
  if (!existsSync(out)) {
    console.error(`[test] vitest (${name}) produced no report`)
    failures.push(`vitest (${name}) produced no report (exit ${r.status})${unhandled(r.kept) ? `:\n        ${unhandled(r.kept)}` : ''}`)
    failed += 1
    continue
  }
  const report = JSON.parse(readFileSync(out, 'utf8'))
  const before = failed
  passed += report.numPassedTests
  failed += report.numFailedTests
  for (const file of report.testResults) {
    const where = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name
    for (const t of file.assertionResults) if (t.status === 'failed') {
      const why = String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 240)
      failures.push(`${where} > ${t.fullName}\n      ${why}`)
    }
    // A file that fails to load has no tests in it but must still turn the run red.
    if (file.status === 'failed' && file.assertionResults.length === 0) {
      failures.push(`${where} (did not load: ${String(file.message ?? '').split('\n')[0]})`)
      failed += 1
    }
  }
  // Vitest failing for any other reason (an unhandled error, a broken config) still fails the run.
  if (r.status !== 0 && failed === before) {
    failed += 1
    failures.push(`vitest (${name}) exited with ${r.status} though no test failed${unhandled(r.kept) ? `:\n        ${unhandled(r.kept)}` : ''}`)
  }
}
if (!ok) failed += 1
if (failures.length > 0) console.log(`\n[test] failed:\n${failures.map((f) => `  ${f}`).join('\n')}`)
console.log(`\nTests: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
