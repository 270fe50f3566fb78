// Time to first render of each widget: from the moment the host pulls its trigger (a track()
// call, or a click on the cancel button) to the first content in the widget's shadow root,
// timestamped in the page by a MutationObserver on every shadow root Linger attaches. The
// widget's chunks are not loaded before the trigger, so this includes fetching (local, no
// cache), compiling and rendering them, as a user's first sight of each widget does.
import { openPage, taskMs } from './browser.mjs'

// Installed before any page script: watches every shadow root for its first non-style content.
const WATCH_SHADOW_ROOTS = () => {
  window.__firstContent = {}
  window.__firstFrame = {}
  const attach = Element.prototype.attachShadow
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init)
    const tag = this.tagName.toLowerCase()
    const check = () => {
      if (!(tag in window.__firstContent) && [...root.children].some((c) => c.tagName !== 'STYLE' && c.tagName !== 'LINK')) {
        window.__firstContent[tag] = performance.now()
        // The end of the first frame that shows it: a message posted from that frame's animation
        // callback runs once its style, layout, resize observers and paint are done. Work a
        // widget leaves to the frame (placing, measuring) counts here, not in the content time.
        requestAnimationFrame(() => {
          const ch = new MessageChannel()
          ch.port1.onmessage = () => (window.__firstFrame[tag] = performance.now())
          ch.port2.postMessage(0)
        })
      }
    }
    new MutationObserver(check).observe(root, { childList: true, subtree: true })
    check()
    return root
  }
}

/**
 * `idleMs`: how long the page sits idle after ready before the trigger. 0 measures cold chunks;
 * with a pause, the runtime has had the time to prefetch what it expects to show (chunks warm).
 * `{ ms, frameMs, cpuMs }`: wall time to the first content and to the end of the first frame
 * showing it, and the main thread's CPU time until then.
 */
export async function renderOnce(browser, url, widget, { idleMs = 0 } = {}) {
  let session
  try {
    session = await openPage(browser, url, { beforeGoto: (page) => page.addInitScript(WATCH_SHADOW_ROOTS) })
    const { page } = session
    if (idleMs) await page.waitForTimeout(idleMs)
    const before = await taskMs(session.cdp)
    const timing = await page.evaluate(
      ({ trigger, host, timeoutMs }) =>
        new Promise((resolve) => {
          const t0 = performance.now()
          if (trigger.track) window.__sdk.track(trigger.track)
          else document.querySelector(trigger.click).click()
          const poll = () => {
            const at = window.__firstContent[host]
            const frame = window.__firstFrame[host]
            if (frame !== undefined) return resolve({ ms: at - t0, frameMs: frame - t0 })
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
    if (timing === null) return { error: `no content in <${widget.host}> within 10 s`, pageErrors: session.pageErrors }
    return { ...timing, cpuMs, pageErrors: session.pageErrors }
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] }
  } finally {
    await session?.close()
  }
}
