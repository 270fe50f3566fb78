import type { Page } from 'playwright-core'

/** Where focus is, through shadow roots (the beacon's own button): its label or text, or the page body. */
export const focusAt = (p: Page) =>
  p.evaluate(() => {
    let el = document.activeElement
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
    return el === document.body ? 'the page body' : (el?.getAttribute('aria-label') ?? el?.textContent ?? '')
  })
