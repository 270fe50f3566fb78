import type { Page } from 'playwright-core'

/**
 * A screen reader's ear, as page script to run before Linger loads: each text Linger's shared
 * live region is given, in order, with what the user could see then: whether the tab was in the
 * background, and whether the announcement banner was out of reach (inert, behind a modal).
 */
export const EAR = `
  window.heard = [];
  (() => {
    const onLive = (root) => new MutationObserver(() => root.querySelectorAll('[aria-live]').forEach((r) => {
      const text = r.textContent;
      if (text && r.said !== text) heard.push({ text, background: document.visibilityState === 'hidden', bannerHidden: !!document.querySelector('linger-announcements-banner')?.closest('[inert]') });
      r.said = text;
    })).observe(root, { subtree: true, childList: true, characterData: true });
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => n.dataset?.linger === 'live' && onLive(n.shadowRoot)))).observe(document.documentElement, { childList: true, subtree: true });
  })();`

export type Heard = { text: string; background: boolean; bannerHidden: boolean }

/** What the ear heard so far. */
export const heard = (page: Page): Promise<Heard[]> => page.evaluate(() => (window as any).heard)

/**
 * Page script, before Linger loads: the tab opens in the background (a link opened with Ctrl+click).
 * `toFront(page)` is the user switching to it.
 */
export const IN_BACKGROUND = `
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  Object.defineProperty(document, 'hidden', { value: true, configurable: true });`

export const toFront = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    Object.defineProperty(document, 'hidden', { value: false, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  })
