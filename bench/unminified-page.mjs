// The setup the profiling tools share (profile-track.mjs, long-tasks.mjs): the runtime built
// unminified (LINGER_MINIFY=0, so profiles name our functions) into a temp dir, the
// 50-experience page served by the bench server, one Chromium, and that page open and ready.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBenchServer } from './server.mjs'
import { lingerPage } from './pages.mjs'
import { fiftyExperiences } from './flows.mjs'
import { launch, openPage } from './browser.mjs'

/** `{ browser, server, page, cdp, close, dispose }`: `dispose()` closes everything and removes the temp dir. */
export async function openUnminifiedFifty(prefix) {
  const work = await mkdtemp(join(tmpdir(), prefix))
  process.env.LINGER_CDN_DIR = join(work, 'cdn')
  process.env.LINGER_MINIFY = process.env.LINGER_MINIFY ?? '0'
  let browser
  let server
  const dispose = async () => {
    await browser?.close().catch(() => {})
    await server?.close()
    await rm(work, { recursive: true, force: true })
  }
  try {
    const { buildAll } = await import('../scripts/build.mjs')
    await buildAll()
    server = await startBenchServer({ '/linger/': process.env.LINGER_CDN_DIR })
    server.files['/flows/fifty.json'] = JSON.stringify(fiftyExperiences())
    server.pages['/linger-50'] = await lingerPage(process.env.LINGER_CDN_DIR, server.url, '/flows/fifty.json')
    browser = await launch()
    const opened = await openPage(browser, server.url + '/linger-50')
    return { browser, server, ...opened, dispose }
  } catch (e) {
    await dispose()
    throw e
  }
}
