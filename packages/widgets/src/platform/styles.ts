/**
 * Puts CSS into a shadow root without `unsafe-inline`: constructable stylesheets where the engine
 * has them (CSP does not govern them), otherwise `<style>` elements carrying the page's nonce.
 * Sheets are cached by text, so every surface shares one parsed copy.
 */
const sheets = new Map<string, CSSStyleSheet>()

export function canAdopt(root: ShadowRoot): boolean {
  return 'adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype
}

function sheetFor(css: string): CSSStyleSheet {
  let sheet = sheets.get(css)
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    sheets.set(css, sheet)
  }
  return sheet
}

export function applyStyles(root: ShadowRoot, css: string[], nonce?: string): void {
  if (canAdopt(root)) {
    try {
      root.adoptedStyleSheets = css.map(sheetFor)
      return
    } catch {
      /* an engine with the property but no constructable sheets: fall through */
    }
  }
  root.prepend(
    ...css.map((text) => {
      const style = root.ownerDocument.createElement('style')
      if (nonce) style.setAttribute('nonce', nonce)
      style.textContent = text
      return style
    }),
  )
}
