/** Config links are only followed when http(s) or relative: never `javascript:` or `data:`. */
export function safeHref(url: unknown, base: string = location.href): string | undefined {
  if (typeof url !== 'string' || !url.trim()) return undefined
  try {
    const { protocol } = new URL(url.trim(), base)
    return protocol === 'http:' || protocol === 'https:' ? url.trim() : undefined
  } catch {
    return undefined
  }
}
