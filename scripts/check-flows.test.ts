import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// `npm run flows:check` as a vendor types it, with a typo in the path it writes to.
const root = resolve(__dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'linger-flows-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'scripts/check-flows.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

describe('npm run flows:check, told to write where it cannot', () => {
  it('says in one line which file it could not write and why, and fails, with no stack trace', async () => {
    const out = join(dir, 'no-such-folder', 'flows.checked.json')
    const r = await run(join(root, 'examples/flows.json'), '--out', out)
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(`${out}: cannot write the stamped copy (ENOENT: no such file or directory, open '${out}')`)
  }, 60_000)
})

describe('npm run flows:check -- --help', () => {
  it('says how to use it, rather than looking for a file named --help', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run(flag)
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toBe('usage: npm run flows:check -- <flows.json> [--out <checked.json>]\n')
    }
  }, 60_000)
})
