// Not a custom property (`--x-font-size`); no lookbehind, which older engines cannot parse.
const SIZE = /(?:^|[^\w-])font-size\s*:\s*([\d.]+(?:px|r?em|%))/gi
const WEIGHT = /(?:^|[^\w-])font-weight\s*:\s*(\d{3}\b|bold)/gi

/**
 * Every weight a widget's CSS sets with every size it sets, as [weight, size] pairs. The browser
 * looks a font up for each pair the first time a layout uses it (2 ms of a badge toast's first
 * render, bench/render-trace.mjs), so preparing them at idle takes that out of the render. The
 * surface's own size (1em) and bold (headings) are always in; sizes from variables or calc() are
 * left to the surface's own.
 */
export function fontVariants(css: string): Array<[weight: string, size: string]> {
  const sizes = new Set(['1em'])
  const weights = new Set(['400', '700'])
  for (const [, size] of css.matchAll(SIZE)) sizes.add(size!)
  for (const [, weight] of css.matchAll(WEIGHT)) weights.add(weight!.toLowerCase() === 'bold' ? '700' : weight!)
  return [...weights].flatMap((weight) => [...sizes].map((size): [string, string] => [weight, size]))
}
