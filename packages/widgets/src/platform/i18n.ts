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
  'zh-Hant': () => import('./messages/zh-Hant'),
}

const langOf = (tag: string) => tag.toLowerCase().split('-')[0]

/**
 * A tag as `lang` and `Intl` read it (`pt_BR` is no language to either), Chinese ones in the
 * terms we have catalogs for. Mandarin named as speech services and older systems name it
 * (`cmn-Hant-TW`, `zh-cmn-Hant-TW`) is Chinese: it read English messages marked as Mandarin.
 * Cantonese (`yue`, `zh-yue`) is written in Chinese characters, Traditional unless it says
 * Simplified (`yue-Hans`, `yue-CN`): Chinese of that script and region, since engines have no
 * Cantonese dates (Chromium wrote "1970 M01 1"); with no region, Hong Kong's, where CLDR places
 * it: a bare `yue` was marked `zh-Hant`, which a screen reader speaks in Taiwan's Mandarin.
 */
export const chineseTag = (tag: string) =>
  tag
    .replace(/_/g, '-')
    .replace(/^(zh-)?cmn(?![a-z])/i, 'zh')
    .replace(/^(zh-)?yue(-hant)?$/i, 'zh-Hant-HK')
    .replace(/^(zh-)?yue(?![a-z])(?!-(hans|hant|cn))/i, 'zh-Hant')
    .replace(/^(zh-)?yue-/i, 'zh-')

/**
 * The locale widgets speak and write numbers and dates in: the first language asked for that we
 * have a catalog for (else English), as the user's region writes it ("2 June" in en-GB, not the
 * American "June 2"): the first tag asked for in that language that names more than the
 * language, else the language. Asked for, best first: the option ('auto' means none), the page's
 * `<html lang>`, the browser's. The page's only when it is not English: templates and frameworks
 * hard-code `lang="en"` whatever their users read, while no app says `lang="de"` by accident.
 * So a German browser on such a page gets German words around the vendor's (likely English)
 * text: nothing here knows that text's language (the flows' copy carries no tag, and guessing it
 * from its letters cannot tell English from German), and trusting `lang="en"` would give English
 * to the users of every localized app that left its template's tag (`en_US` too, as Java and
 * PHP templates write it). The vendor who knows says so with `settings.locale` (or the `locale`
 * option), which comes first.
 */
export function formatLocale(requested: string | undefined, browser: readonly string[], page?: string): string {
  const tags = [requested !== 'auto' && requested, !/^en(?![a-z])/i.test(page!) && page, ...browser].flatMap((tag) => (tag ? [chineseTag(String(tag))] : []))
  const lang = tags.map(langOf).find((l) => Object.hasOwn(catalogLoaders, l)) ?? 'en'
  for (const tag of tags)
    if (tag.includes('-') && langOf(tag) === lang)
      try {
        return Intl.getCanonicalLocales(tag)[0]
      } catch {}
  return lang
}

/**
 * The catalog for the locale (`formatLocale` gives a canonical tag, or `en`): its language, and
 * for Chinese its script, so Taiwan, Hong Kong and Macau (or `zh-Hant`) read 繼續清單, not 继续清单.
 * The regions CLDR writes in Traditional by default; any other takes a script to say so.
 */
export const catalogOf = (locale: string) => (/^zh-(Hant|TW|HK|MO)/.test(locale) ? 'zh-Hant' : langOf(locale))

/** The best language we have a catalog for: the option, the page's language, the browser's; else English. */
export const resolveLocale = (requested: string | undefined, browser: readonly string[], page?: string): string => catalogOf(formatLocale(requested, browser, page))

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
  // Numbers as the language writes them, as the dates, the cancel flow's and the value review's
  // figures and the leaderboard's ranks beside them are: "12.500 Punkte", "1,000 points" (one
  // rule: the language's own, which in Spanish leaves four digits whole).
  let number: Intl.NumberFormat | undefined
  try {
    plural = new Intl.PluralRules(locale)
    number = new Intl.NumberFormat(locale)
  } catch {}
  const look = (key: string) => [catalog, fallback].find((c) => Object.hasOwn(c, key))?.[key]
  return (key, vars = {}) => {
    const count = vars.count
    const form = typeof count === 'number' && plural ? look(`${key}.${plural.select(count)}`) ?? look(`${key}.other`) : undefined
    const text = form ?? look(key) ?? key
    // Text put into a sentence where either holds right-to-left letters is held in an isolate
    // (U+2068…U+2069), which keeps its own order: the vendor's English title in an Arabic message
    // ("!Set up your workspace" put the "!" first), an Arabic level name in an English one
    // ("Level: مبتدئ · 50 points" drew the 50 before the name). Left-to-right in left-to-right
    // needs none. Right-to-left: Hebrew to Arabic Extended (Syriac, Thaana, N'Ko among them), the
    // presentation forms (text copied from PDFs), and the blocks Unicode keeps for right-to-left
    // scripts past the first plane (U+10800-10FFF: Hanifi Rohingya, Yezidi; U+1E800-1EFFF: Adlam),
    // which dirOf already lays out right to left. So is text with a bidi control: an unclosed
    // U+202E in a title reversed the rest of the sentence. Isolates in it are dropped: a stray
    // U+2069 would end ours early and let an override out.
    return text.replace(/\{(\w+)\}/g, (m, name: string) =>
      !Object.hasOwn(vars, name)
        ? m
        : typeof vars[name] === 'number' && number
          ? number.format(vars[name])
          : /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}\p{Bidi_C}]/u.test(text + vars[name])
            ? `\u2068${String(vars[name]).replace(/[\u2066-\u2069]/g, '')}\u2069`
            : (vars[name] as string),
    )
  }
}
