// `npm test`: everything from a fresh clone — Chromium, type check, build, unit + browser tests
// (bundle budgets are tests too), then one line with the real totals.
import { spawnSync } from 'node:child_process'
import { readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts })
const step = (name, cmd, args, opts) => {
  console.log(`\n[test] ${name}`)
  const r = run(cmd, args, opts)
  if (r.status !== 0) {
    console.error(`[test] ${name} failed`)
    return false
  }
  return true
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
// CI keeps only the end of the log: the failures are named again just above the totals.
const failures = []
const suites = [['root', 'vite.config.ts']]
if (existsSync(join(root, 'packages/collector/vitest.config.ts'))) suites.push(['collector', 'packages/collector/vitest.config.ts'])
for (const [name, config] of suites) {
  const out = join(reports, `${name}.json`)
  console.log(`\n[test] vitest (${name})`)
  const r = run('npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`])
  if (!existsSync(out)) {
    console.error(`[test] vitest (${name}) produced no report`)
    failed += 1
    continue
  }
  const report = JSON.parse(readFileSync(out, 'utf8'))
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
  if (r.status !== 0 && report.numFailedTests === 0) failed += 1
}
if (!ok) failed += 1
if (failures.length > 0) console.log(`\n[test] failed:\n${failures.map((f) => `  ${f}`).join('\n')}`)
console.log(`\nTests: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
