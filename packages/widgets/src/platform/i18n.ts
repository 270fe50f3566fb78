/**
 * Message catalogs. Each catalog is its own lazy chunk (messages/<lang>.ts), English is the
 * fallback for any key a translation lacks. Plurals: when `vars.count` is given, `key.<form>`
 * (Intl.PluralRules: zero, one, two, few, many, other) is tried before `key`. A number in `vars`
 * is written as the catalog's language writes it (Intl.NumberFormat); pass strings as they are.
 */
export type Catalog = Record<string, string>

export const catalogLoaders: Record<string, () => Promise<{ messages: Catalog }>> = {
  en: () => import('./messages/en'),
  de: () => import('./messages/de'),
  ar: () => import('./messages/ar'),
  fr: () => import('./messages/fr'),
  es: () => import('./messages/es'),
  ja: () => import('./messages/ja'),
  zh: () => import('./messages/zh'),
}

/** The best locale we have a catalog for: the option first ('auto' means the browser's). */
export function resolveLocale(requested: unknown, browser: readonly string[]): string {
  const wanted = typeof requested === 'string' && requested && requested !== 'auto' ? [requested, ...browser] : browser
  for (const tag of wanted) {
    const lang = String(tag).toLowerCase().split(/[-_]/)[0]
    if (Object.hasOwn(catalogLoaders, lang)) return lang
  }
  return 'en'
}

/**
 * Direction from the script the language is written in, so a vendor-forced `he` is RTL even
 * without a catalog, as are Pashto, Sorani Kurdish, Uyghur, Yiddish, Dhivehi, `pa-Arab`, and `iw`
 * (Hebrew as older systems spell it).
 */
export function dirOf(locale: string): 'ltr' | 'rtl' {
  try {
    return /^(Arab|Hebr|Thaa|Syrc|Nkoo|Adlm|Rohg)$/.test(new Intl.Locale(locale.replace(/_/g, '-')).maximize().script!) ? 'rtl' : 'ltr'
  } catch {
    return 'ltr'
  }
}

/**
 * The direction widgets lay out in. The vendor's own text (titles, bodies, answers) is in the
 * language it asked for, which may have no catalog (`he` falls back to English messages but is
 * still written right to left). Without a language asked for, a right-to-left host page means
 * right-to-left text, whatever catalog the browser's languages picked.
 */
export function widgetDir(requested: unknown, resolved: string, pageDir: string): 'ltr' | 'rtl' {
  if (typeof requested === 'string' && requested && requested !== 'auto') return dirOf(requested)
  return pageDir === 'rtl' ? 'rtl' : dirOf(resolved)
}

export function translator(locale: string, catalog: Catalog, fallback: Catalog): (key: string, vars?: Record<string, string | number>) => string {
  let plural: Intl.PluralRules | undefined
  // Numbers as the language writes them, as the dates and the leaderboard's ranks beside them
  // are: "12.500 Punkte", not "12500". `min2` leaves four digits whole (a "8 / 1000" counter).
  let number: Intl.NumberFormat | undefined
  try {
    plural = new Intl.PluralRules(locale)
    number = new Intl.NumberFormat(locale, { useGrouping: 'min2' } as {})
  } catch {}
  const look = (key: string) => (Object.hasOwn(catalog, key) ? catalog[key] : Object.hasOwn(fallback, key) ? fallback[key] : undefined)
  return (key, vars = {}) => {
    const count = vars.count
    const form = typeof count === 'number' && plural ? look(`${key}.${plural.select(count)}`) ?? look(`${key}.other`) : undefined
    const text = form ?? look(key) ?? key
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (!Object.hasOwn(vars, name) ? m : typeof vars[name] === 'number' && number ? number.format(vars[name]) : String(vars[name])))
  }
}
