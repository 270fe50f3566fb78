// Browser tests need a real Chromium. Playwright cannot download its own build here, so we use
// Debian's package and install it when none is found (the test machines run as root).
import { execSync } from 'node:child_process'
import { findChromium } from './chromium.mjs'

if (!findChromium()) {
  console.log('[test] Chromium not found: installing Debian package "chromium" (apt-get)…')
  const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : ''
  try {
    execSync(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq chromium >/dev/null`, { stdio: 'inherit', shell: '/bin/bash' })
  } catch {
    console.error('[test] could not install chromium; install it (apt-get install chromium) or set CHROMIUM_PATH')
    process.exit(1)
  }
  if (!findChromium()) {
    console.error('[test] chromium still missing after install')
    process.exit(1)
  }
}
