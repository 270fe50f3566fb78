import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(__dirname, '..')

/**
 * A vendor's project with the built @linger/sdk and @linger/widgets installed (their dist/types,
 * as npm would put them): what its compiler says of `code` in `index.ts`. '' when it compiles.
 */
export function vendorTypecheck(code: string, compilerOptions: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'linger-vendor-'))
  try {
    mkdirSync(join(dir, 'node_modules/@linger'), { recursive: true })
    mkdirSync(join(dir, 'node_modules/@floating-ui'), { recursive: true })
    for (const pkg of ['sdk', 'widgets']) symlinkSync(join(repo, 'packages', pkg), join(dir, 'node_modules/@linger', pkg))
    for (const dep of ['nanostores', 'zod', 'preact', '@floating-ui/dom', '@floating-ui/core', '@floating-ui/utils']) symlinkSync(join(repo, 'node_modules', dep), join(dir, 'node_modules', dep))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vendor-app', type: 'module' }))
    writeFileSync(join(dir, 'index.ts'), code)
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [], ...compilerOptions }, files: ['index.ts'] }))
    execFileSync(join(repo, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' })
    return ''
  } catch (e) {
    return String((e as { stdout?: string }).stdout)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
