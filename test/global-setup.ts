import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

// Browser tests and the size budgets read the built runtime. `npm test` builds once before
// vitest (and says so with LINGER_BUILT); any other vitest run builds here first, so no test can
// pass or fail on a stale or missing dist/.
export default function buildFirst() {
  if (process.env.LINGER_BUILT === '1') return
  const root = join(import.meta.dirname, '..')
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('the build failed, so the tests that read dist/ cannot run')
}
