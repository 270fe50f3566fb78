import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = resolve(__dirname, '../../..')

/** A consumer project that imports @linger/sdk as the package.json "types" points it to. */
function typecheck(compilerOptions: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'linger-consumer-'))
  mkdirSync(join(dir, 'node_modules/@linger'), { recursive: true })
  symlinkSync(join(repo, 'packages/sdk'), join(dir, 'node_modules/@linger/sdk'))
  for (const dep of ['nanostores', 'zod']) symlinkSync(join(repo, 'node_modules', dep), join(dir, 'node_modules', dep))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }))
  writeFileSync(join(dir, 'index.ts'), "import { createLinger } from '@linger/sdk'\ncreateLinger({ key: 'pk' }).track('X')\n")
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [], ...compilerOptions }, files: ['index.ts'] }))
  try {
    execFileSync(join(repo, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' })
    return ''
  } catch (e) {
    return String((e as { stdout?: string }).stdout)
  }
}

describe('review probes: the types @linger/sdk exposes', () => {
  it('type-check in a Node ESM project (moduleResolution NodeNext, skipLibCheck on)', () => {
    expect(typecheck({ module: 'NodeNext', moduleResolution: 'NodeNext' })).toBe('')
  }, 60_000)

  it('type-check in a project with stricter options (noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck on)', () => {
    expect(typecheck({ module: 'ESNext', moduleResolution: 'Bundler', noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true })).toBe('')
  }, 60_000)
})
