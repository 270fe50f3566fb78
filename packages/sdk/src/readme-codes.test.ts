import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// A vendor's on('error') handler switches on `code`: every code the packages report is one the
// README's list names, or such a handler never learns of it.
const repo = resolve(__dirname, '../../..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) && !/\.test\.tsx?$|fixture/.test(d.name) ? [join(dir, d.name)] : [],
  )
}

describe('the error codes a vendor can listen for', () => {
  it('are each listed in the README', () => {
    const emitted = new Set<string>()
    for (const file of [...sources(join(repo, 'packages/sdk/src')), ...sources(join(repo, 'packages/widgets/src'))]) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z-]+)'/g)) emitted.add(code)
    }
    const readme = readFileSync(join(repo, 'README.md'), 'utf8')
    const listed = readme.slice(readme.indexOf('Error codes:'), readme.indexOf('## Delivery'))
    expect([...emitted].filter((code) => !listed.includes(`\`${code}\``)).sort()).toEqual([])
  })
})
