// The one Chromium launcher: browser tests, the bench and the dev scripts all start Chromium here,
// with the same flags, so what a test sees is what the bench measures.
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium } from 'playwright-core'

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** CHROMIUM_PATH, else a Chromium or Chrome on the PATH, else a browser Playwright installed. */
export function findChromium() {
  const chosen = process.env.CHROMIUM_PATH
  if (chosen) return existsSync(chosen) ? chosen : undefined
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const path = join(dir, name)
      if (existsSync(path)) return path
    }
  }
  try {
    const own = chromium.executablePath()
    if (own && existsSync(own)) return own
  } catch {
    // playwright-core without a downloaded browser
  }
  return undefined
}

export async function launchChromium(options = {}) {
  const executablePath = findChromium()
  if (!executablePath) {
    throw new Error('Chromium not found: run `node scripts/ensure-chromium.mjs` (installs Debian chromium) or set CHROMIUM_PATH')
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, ...options })
}
