import type { Page } from 'playwright-core'

/** Resolves once the page has not scrolled for 30 frames (a smooth scroll and the header check after it are over). */
export const scrollSettled = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let last = scrollY
        let still = 0
        const frame = () => {
          still = scrollY === last ? still + 1 : 0
          last = scrollY
          if (still >= 30) resolve()
          else requestAnimationFrame(frame)
        }
        requestAnimationFrame(frame)
      }),
  )
