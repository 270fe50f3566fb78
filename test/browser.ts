import { chromium, type Browser } from 'playwright-core'
import { existsSync } from 'node:fs'

// Debian's chromium; scripts/ensure-chromium.mjs installs it when missing.
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[]

export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p))
  if (!found) throw new Error('Chromium not found: run `node scripts/ensure-chromium.mjs` (installs Debian chromium)')
  return found
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
