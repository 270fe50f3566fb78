import { afterEach, expect, it, vi } from 'vitest'
import { spawnRequestWorker } from './off-thread'

// The page's document and Worker, as the browser has them: only what spawnRequestWorker touches.
function aPage() {
  const listeners = new Set<(e: unknown) => void>()
  vi.stubGlobal('document', {
    addEventListener: (_: string, fn: (e: unknown) => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: (e: unknown) => void) => listeners.delete(fn),
  })
  vi.stubGlobal(
    'Worker',
    class {
      onmessage = null
      onerror: ((e: unknown) => void) | null = null
      postMessage() {}
      terminate() {}
    },
  )
  const report = (blockedURI: string, effectiveDirective: string) => listeners.forEach((fn) => fn({ blockedURI, effectiveDirective }))
  return { report }
}
afterEach(() => void vi.unstubAllGlobals())

it("a report about the host's own blob: image is not taken for a refusal of Linger's worker", () => {
  const page = aPage()
  const worker = spawnRequestWorker()
  const refused = vi.fn()
  worker.onerror = refused
  // The host's CSP blocks one of its own blob: images (a preview it made) in the first seconds.
  page.report('blob', 'img-src')
  expect(refused).not.toHaveBeenCalled()
  // A report-only policy that reports the worker itself is still heard as its refusal.
  page.report('blob', 'worker-src')
  expect(refused).toHaveBeenCalledTimes(1)
})
