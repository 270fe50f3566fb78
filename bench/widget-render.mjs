// Time to first render of each widget: from the moment the host pulls its trigger (a track()
// call, or a click on the cancel button) to the first content in the widget's shadow root,
// timestamped in the page by a MutationObserver on every shadow root Linger attaches. The
// widget's chunks are not loaded before the trigger, so this includes fetching (local, no
// cache), compiling and rendering them, as a user's first sight of each widget does.
import { openPage, taskMs } from './browser.mjs'

// Installed before any page script: watches every shadow root for its first non-style content.
const WATCH_SHADOW_ROOTS = () => {
  window.__firstContent = {}
  const attach = Element.prototype.attachShadow
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init)
    const tag = this.tagName.toLowerCase()
    const check = () => {
      if (!(tag in window.__firstContent) && [...root.children].some((c) => c.tagName !== 'STYLE' && c.tagName !== 'LINK'))
        window.__firstContent[tag] = performance.now()
    }
    new MutationObserver(check).observe(root, { childList: true, subtree: true })
    check()
    return root
  }
}

/**
 * `idleMs`: how long the page sits idle after ready before the trigger. 0 measures cold chunks;
 * with a pause, the runtime has had the time to prefetch what it expects to show (chunks warm).
 * `{ ms, cpuMs }`: wall time to the first content, and the main thread's CPU time meanwhile.
 */
export async function renderOnce(browser, url, widget, { idleMs = 0 } = {}) {
  let session
  try {
    session = await openPage(browser, url, { beforeGoto: (page) => page.addInitScript(WATCH_SHADOW_ROOTS) })
    const { page } = session
    if (idleMs) await page.waitForTimeout(idleMs)
    const before = await taskMs(session.cdp)
    const ms = await page.evaluate(
      ({ trigger, host, timeoutMs }) =>
        new Promise((resolve) => {
          const t0 = performance.now()
          if (trigger.track) window.__sdk.track(trigger.track)
          else document.querySelector(trigger.click).click()
          const poll = () => {
            const at = window.__firstContent[host]
            if (at !== undefined) return resolve(at - t0)
            if (performance.now() - t0 > timeoutMs) return resolve(null)
            setTimeout(poll, 5)
          }
          poll()
        }),
      { trigger: widget.trigger, host: widget.host, timeoutMs: 10_000 },
    )
    // The main thread's CPU time over the same window (thread ticks, so a busy neighbour on the
    // machine does not count), give or take one 5 ms poll.
    const cpuMs = (await taskMs(session.cdp)) - before
    if (ms === null) return { error: `no content in <${widget.host}> within 10 s`, pageErrors: session.pageErrors }
    return { ms, cpuMs, pageErrors: session.pageErrors }
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    await session?.close()
  }
}
