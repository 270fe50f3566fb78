/**
 * Config links are only followed when http(s) or relative: never `javascript:` or `data:`. A
 * relative link has the page's own scheme, whatever it is (`capacitor:` or `file:` in a hybrid
 * app's shell, `about:srcdoc`): it is resolved against an http base, not the page's address.
 */
export function safeHref(url: unknown, base = 'https://h/'): string | undefined {
  if (typeof url !== 'string' || !url.trim()) return undefined
  try {
    const { protocol } = new URL(url.trim(), base)
    return protocol === 'http:' || protocol === 'https:' ? url.trim() : undefined
  } catch {
    return undefined
  }
}
