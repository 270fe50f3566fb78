import type { Browser } from 'playwright-core'
import { launchChromium } from '../scripts/chromium.mjs'

// The project's one launcher (scripts/chromium.mjs); scripts/ensure-chromium.mjs installs
// Debian's chromium when none is found.
export function launchBrowser(): Promise<Browser> {
  return launchChromium()
}
