import type { Linger, Theme } from '@linger/sdk'
import type { WidgetContext } from './context'
import { BASE_CSS, HOST_CSS } from './base-css'
import { fontVariants } from './font-variants'
import { catalogLoaders, catalogOf, chineseTag, dirOf, formatLocale, translator, widgetDir, type Catalog } from './i18n'
import { hostModal, inertOutside } from './inert'
import { createLayout } from './layout'
import { createLiveRegion, type LiveRegion } from './live-region'
import { reducedMotion } from './motion'
import { visible } from './focus'
import { createScreen } from './screen'
import { createStepAside } from './step-aside'
import { applyStyles } from './styles'
import { themeCss, zIndexFor, type Layer } from './theme'

export interface PlatformOptions {
  /** Where widget hosts are attached; document.body by default. */
  container?: HTMLElement
  /** Overrides init's `locale` and the flows' `settings.locale`; 'auto' = the browser's. */
  locale?: string
  /** Overrides init's `theme`, as init takes it (a misspelt key is a vendor's compile error). */
  theme?: Theme
  /** For engines without constructable stylesheets under a strict CSP: put on `<style>`. */
  nonce?: string
}

export interface WidgetPlatform {
  locale: string
  dir: 'ltr' | 'rtl'
  /** A context for one widget; `onFail` runs (once) after that widget failed and was reported. */
  contextFor(widget: string, onFail: () => void): { ctx: WidgetContext; removeSurfaces(): void }
  /**
   * For idle time, before anything shows: puts up a hidden surface with `css` and lays it out,
   * then removes it, so a widget's first render does not pay for parsing the sheets, matching
   * the fonts (fallback fonts too, for the emoji and scripts the flows use) and the page's first
   * popover. A piece at a time: each call lays out at least one font and goes on while
   * `timeLeft()` (ms) is above 0; true once everything has been.
   */
  prepare(css: string, timeLeft?: () => number): boolean
  /**
   * True while the page's own aria-modal box is open and none of `widget`'s surfaces is on screen
   * (stepped aside, or waiting for the box to close); `then` runs once it is gone (step-aside.ts).
   * Then too while its docked surface waits unseen for room or for host focus to move on (layout.ts),
   * and once while it has nothing on the page yet (asked again a microtask later).
   */
  aside(widget: string, then: () => void): boolean
  dispose(): void
}

type Surface = ReturnType<WidgetContext['surface']>

/** Loads the catalogs for the active locale, then builds contexts synchronously. */
export async function createWidgetPlatform(linger: Linger, options: PlatformOptions = {}, win: Window = window): Promise<WidgetPlatform> {
  const host = linger.host
  const settings = (host.flows.get() as { settings?: { locale?: string } }).settings
  const requested = options.locale ?? host.options.locale ?? settings?.locale
  // The page's `<html lang>` too (i18n.ts says when); numbers and dates as the user's region
  // writes them ("2 June" in en-GB), messages from the catalog of its language.
  const locale = formatLocale(requested, win.navigator.languages ?? [win.navigator.language], win.document.documentElement.lang)
  const dir = widgetDir(requested, locale, win.getComputedStyle(win.document.body || win.document.documentElement).direction)
  const [en, own] = await Promise.all([catalogLoaders.en(), catalogLoaders[catalogOf(locale)]()])
  // The vendor's text is in the language they asked for, even where messages fall back to English.
  // Written as `lang` reads it (chineseTag): `pt_BR` (Java, PHP) is no language to a browser or a
  // screen reader. A bare language ("zh") the user's region narrows ("zh-TW") is the region's:
  // Traditional glyphs and a Taiwanese voice for a reader in Taiwan, not the mainland's.
  const asked = typeof requested === 'string' && requested !== 'auto' && requested ? chineseTag(requested) : locale
  const lang = asked.toLowerCase() === locale.split('-')[0]!.toLowerCase() ? locale : asked
  return buildPlatform(linger, { ...options, locale, dir, lang, theme: { ...host.options.theme, ...options.theme }, nonce: options.nonce ?? host.options.nonce }, own.messages, en.messages, win)
}

export function buildPlatform(linger: Linger, options: PlatformOptions & { locale: string; dir?: 'ltr' | 'rtl'; lang?: string }, catalog: Catalog, fallback: Catalog, win: Window = window): WidgetPlatform {
  const doc = win.document
  const { locale, nonce } = options
  // theme.ts reads it key by key, untrusted (a script-tag vendor's object is not type-checked).
  const theme: Record<string, unknown> = { ...options.theme }
  const dir = options.dir ?? dirOf(locale)
  const say = translator(locale, catalog, fallback)
  // English (a left-to-right catalog) in a right-to-left surface (the page's direction, or a
  // language with no catalog): "0 of 4 tasks done" read "of 4 tasks done 0", "+10" "10+". A
  // message that starts or ends with no letter is isolated left to right; the rest stay as they
  // are, names included ("Continue to cancel").
  const t: typeof say =
    dir === 'rtl' && dirOf(locale) === 'ltr' ? (key, vars) => ((text) => (/^\P{L}|\P{L}$/u.test(text) ? `\u2066${text}\u2069` : text))(say(key, vars)) : say
  const theming = themeCss(theme)
  const all = new Set<Surface>()
  // Each open modal, with what puts the page behind it out of reach again.
  const modals = new Map<Surface, () => void>()
  const waiting = new Map<HTMLElement, () => void>()
  // Each surface that goes into a modal dialog the page opens while it is on screen (hostedIn).
  const hosted = new Set<(dialog: HTMLDialogElement) => void>()
  // A tour's tip already on the body when the page opens a dialog (its step 1 was "click New
  // project") would stay under it, inert: seen, not clickable, yet counted as viewed. showModal()
  // sets `open`, in every engine (dialogs' `toggle` event is recent): only that attribute is heard.
  const opened = new MutationObserver(() => {
    const dialog = hostModal(doc)
    if (dialog) hosted.forEach((enter) => enter(dialog))
  })
  let live: { surface: Surface; region: LiveRegion } | undefined
  // The last region this platform made, gone or not: the next one says what it left unsaid.
  let lastRegion: LiveRegion | undefined
  let rare: string | undefined
  // Per widget CSS: what is still to lay out. A font, once laid out, serves every widget (they
  // share the font stack): each size and weight is queued for the first widget that uses it.
  const preparing = new Map<string, Array<[weight: string, size: string] | undefined>>()
  const fontsQueued = new Set<string>()
  const layout = createLayout(win)
  const host = linger.host
  const screen = createScreen((fn) => host.onTrack?.(fn) ?? (() => {}), win)
  // Controllers ask the screen before an experience starts on its own (experiences/host.ts).
  host.screen = screen

  // A key from inside a surface reaches the page retargeted to the `<linger-*>` element, which its
  // "ignore keys typed in a field" check does not know: "/" typed in a comment would open the
  // page's search. Keys typed in a field, or that a surface acted on (arrows in a radio group),
  // stop at the element; the page's capture listeners (and screen.ts) still see them.
  // A keyup has nothing to prevent, and may come up anywhere: on the page's button focus went back
  // to (Escape), on the body (Enter sent a score, its button gone). A page's slides that turned on
  // keyup turned with a score's arrows. So whether the page heard a key go down (`down`, by the
  // key's `code`, or `key` where a virtual keyboard gives none) decides whether it hears it come
  // up: not after one a surface acted on (prevented, or stopped inside it), nor one typed in a
  // field. Any keydown of the press the page heard, first or repeat, makes the keyup the page's,
  // wherever focus went meanwhile: Space held to pan a canvas while clicking a score, or Shift
  // held into our text box, would otherwise stay held for the page.
  const down: Record<string, unknown> = {}
  // From a modal of ours, every key: the page behind it is inert, and its shortcuts ("?" opening
  // its own focus-trapped dialog, Ctrl+K its palette) acted behind it and fought it for focus.
  const ownKey = (e: Event, modal?: boolean) => {
    const at = e.composedPath()[0] as HTMLElement
    // Enter or Space on a button or link of ours is acted on too: it presses it (a deck's Space
    // turned a slide as the user sent a score), though it is the browser that does. A keyup is
    // left to `down` alone: Shift held on the page comes up in our text box.
    const stop = e.type != 'keyup' && (modal || e.defaultPrevented || at.isContentEditable || at.matches?.('input,textarea,select' + (/^( |Enter)$/.test((e as KeyboardEvent).key) ? ',button,a' : '')))
    if (stop) e.stopPropagation()
    else if (e.type == 'keydown') down[keyOf(e)] = 0
  }
  // First of all (the window, in capture): a keydown that reaches no surface is the page's. A keyup
  // stops where it is aimed (retargeted: a Linger host, a page's web component), as in ownKey: the
  // page's capture listeners, and that element's own, still hear it. Once: one a page's capture
  // listener stopped on its way lets go at the next keyup there.
  const onKeys = (e: Event) => {
    const k = keyOf(e)
    const t = e.target as Element
    // A press is ours until the page hears one of its keydowns (here, off a surface; or ownKey lets
    // it through): a repeat landing in a surface does not take back one the page heard.
    if (e.type == 'keydown') (e as KeyboardEvent).repeat || (down[k] = 1), t.matches?.('[data-linger]') || (down[k] = 0)
    else if (down[k]) (down[k] = 0), t.addEventListener('keyup', (u) => u == e && u.stopPropagation(), { once: true })
  }
  const KEYS = ['keydown', 'keyup']
  for (const type of KEYS) win.addEventListener(type, onKeys, true)

  // Corner surfaces step aside while the page's own aria-modal box is open (step-aside.ts). Not
  // one its widget marks `data-in-modal`: a tour's tip by a target inside that box (a tour
  // through the app's Settings) is where the user is.
  // Each surface's hostedIn, asked with no box to follow the one it is in.
  const boxed = new Set<(to?: Element) => void>()
  const aside = createStepAside(win, (open) => {
    for (const surface of all) if (!modals.has(surface) && surface != live?.surface) surface.hostEl.toggleAttribute('data-aside', open)
    // Gone or hidden (its own look each second): a modal of ours in it follows it out (hostedIn).
    open || boxed.forEach((follow) => follow())
  })
  // Each widget's surfaces, for `aside`; what was asked of one with none, to ask again a microtask
  // later (null while that runs: what it asks meanwhile is answered as it is).
  const widgets = new Map<string, Map<string, Surface>>()
  const early = new Map<string, Array<() => void> | null>()

  function makeSurface(name: string, css: string, layer: Layer, onRemove?: () => void): Surface {
    const tag = `linger-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'widget'}`
    const hostEl = doc.createElement(tag)
    const z = zIndexFor(theme, layer)
    // Inline !important beats the page's `!important` rules on the host in engines that get
    // the shadow-context cascade wrong; `:host` rules (base-css.ts) win everywhere else.
    for (const [prop, value] of [['display', 'block'], ['position', 'fixed'], ['top', '0'], ['left', '0'], ['width', '0'], ['height', '0'], ['z-index', String(z)]])
      hostEl.style.setProperty(prop, value, 'important')
    hostEl.setAttribute('data-linger', name)
    hostEl.setAttribute('dir', dir)
    hostEl.setAttribute('lang', options.lang ?? locale)
    const root = hostEl.attachShadow({ mode: 'open' })
    for (const type of ['keydown', 'keypress', 'keyup']) hostEl.addEventListener(type, (e) => ownKey(e, layer == 'modal'))
    applyStyles(root, [HOST_CSS, theming, `:host{z-index:${z}!important;direction:${dir}!important}:host([data-aside]:not([data-in-modal])){visibility:hidden!important}`, BASE_CSS, css], nonce)
    const home = options.container ?? doc.body ?? doc.documentElement
    // Inside the page's own modal dialog, or the browser makes it inert with the rest of the page:
    // the cancel flow a button in the page's settings dialog opens would take no click, no focus.
    // So too a modal of ours opened from inside the page's aria-modal box (its own trap, no
    // <dialog>), which refuses every click outside it: "Cancel subscription" in the app's Settings
    // opened a flow that took none. Back there, where focus was, when it closes.
    const dialog = options.container ? undefined : hostModal(doc, true) || (layer == 'modal' && aside.open()) || undefined
    ;(dialog || home).append(hostEl)
    // The top layer sits above any z-index the page uses (a late-added max z-index element
    // would otherwise win); engines without popovers keep the z-index band.
    const lift = () => {
      if (typeof hostEl.showPopover === 'function') {
        try {
          hostEl.setAttribute('popover', 'manual')
          hostEl.showPopover()
        } catch {
          hostEl.removeAttribute('popover')
        }
      }
    }
    // A surface that comes while a modal is open (a banner) waits behind it, inert: the top
    // layer would put it over the modal, clickable. It takes its place once the modal is gone.
    // (One the page took out of the document, as an app re-rendering its body does, is gone.)
    const behind = layer !== 'modal' && name !== 'live' && [...modals.keys()].some((m) => m.hostEl.isConnected)
    if (behind) {
      hostEl.setAttribute('inert', '')
      waiting.set(hostEl, lift)
    } else lift()
    // A modal leaves the page behind out of reach: of Tab (each traps focus), and of a screen
    // reader's browse mode, which only inert keeps out.
    let outside = layer === 'modal' ? inertOutside(hostEl) : undefined
    // Moved out of a dialog the page closed or took away: on top again, and what it keeps out of
    // reach is the page around where it is now.
    const fence = () => outside && (outside(), (outside = inertOutside(hostEl)))
    const moved = () => (waiting.has(hostEl) || lift(), fence())
    const enter = options.container ? undefined : hostedIn(doc, hostEl, home, moved, layer == 'modal')
    if (dialog) enter!(dialog), boxed.add(enter!)
    // A modal of ours over the page's dialog is not the page's to take in (it makes it inert).
    if (enter && layer !== 'modal' && name !== 'live') {
      hosted.add(enter)
      opened.observe(doc.documentElement, { attributeFilter: ['open'], subtree: true })
    }
    const surface: Surface = {
      root,
      hostEl,
      remove() {
        all.delete(surface)
        modals.delete(surface)
        waiting.delete(hostEl)
        if (hosted.delete(enter!) && !hosted.size) opened.disconnect()
        boxed.delete(enter!)
        hostEl.remove()
        outside?.()
        // One that closed under another modal gave the page back: it stays out of reach behind that one.
        modals.forEach((again) => again())
        if (!modals.size) {
          waiting.forEach((up, el) => (el.removeAttribute('inert'), up()))
          waiting.clear()
        }
        onRemove?.()
        // What was told while out of sight behind a modal may be in sight now: said where it is
        // heard (a modal of ours closed by code while the page's own dialog is open: in that dialog).
        live && region().again()
      },
    }
    all.add(surface)
    if (layer === 'modal') modals.set(surface, fence)
    // One made while the page's aria-modal is open (a badge's toast) waits aside with the rest.
    else if (aside.open() && name != 'live') hostEl.setAttribute('data-aside', '')
    return surface
  }

  // Whether the surface that told something is in sight: not while it waits behind one of our
  // modals or is inert under it (said once it is out), nor while it is docked and waits unseen for
  // room (said once it shows: a survey was heard before it was on screen, and not as it came);
  // gone once removed.
  const inSight = ({ hostEl }: Surface) => () => (hostEl.isConnected ? !(modals.size && hostEl.closest('[inert]')) && !layout.waits([hostEl], () => live && region().again()) : undefined)

  function region() {
    // One left behind a modal dialog the page opened since is inert: screen readers skip it.
    if (live && hostModal(doc, true)?.contains(live.surface.hostEl) === false) live.surface.remove()
    if (!live?.surface.hostEl.isConnected) {
      const surface = makeSurface('live', '', 'toast', () => (live = undefined))
      live = { surface, region: (lastRegion = createLiveRegion(surface.root, (fn, ms) => win.setTimeout(fn, ms), lastRegion)) }
    }
    return live.region
  }

  function announce(message: string, politeness?: 'polite' | 'assertive', from?: Surface) {
    region().announce(String(message), politeness, from && inSight(from))
  }

  return {
    locale,
    dir,
    prepare(css, timeLeft = () => Infinity) {
      let todo = preparing.get(css)
      // First the surface alone (its sheets, the page's first popover), then the fonts.
      if (!todo) {
        const fonts = fontVariants(BASE_CSS + css).filter((font) => !fontsQueued.has(`${font}`) && !!fontsQueued.add(`${font}`))
        preparing.set(css, (todo = [undefined, ...fonts]))
      }
      if (!todo.length) return true
      const text = locale + (rare ??= rareCharacters([catalog, host.flows.get()]))
      // Built and removed in one call: nothing of it is ever painted or announced.
      const { root, hostEl, remove } = makeSurface('prepare', css, 'base')
      // Text in the widgets' font stack: matching fonts is the costly part of a first layout,
      // most of all for a character the first font lacks (an emoji icon, another script), which
      // sends the browser through its fallback fonts: 2-3 ms of a badge toast's first render
      // for one emoji. Every such character the catalog or the flows could show, in every size
      // and weight the widget's CSS uses (the browser keeps a font per size and weight): 10-20 ms
      // in all with an emoji, so one size and weight per layout, as many as `timeLeft` allows.
      try {
        do {
          const font = todo.shift()
          if (font) {
            const span = doc.createElement('span')
            span.style.fontWeight = font[0]
            span.style.fontSize = font[1]
            span.textContent = text
            root.append(span)
          }
          hostEl.getBoundingClientRect()
        } while (todo.length && timeLeft() > 0)
      } finally {
        remove()
      }
      return !todo.length
    },
    aside(widget, then) {
      const hosts = [...(widgets.get(widget)?.values() ?? [])].map((s) => s.hostEl)
      // Nothing of it on the page: what is asked of is not drawn yet. The app asked for it in a
      // store's listener (a survey once a task ticks), and the widget, listening to that store
      // too, hears of it only after the question: counted shown, it then waited unseen for room.
      // Asked again once that listener is through, and answered then as it is. Once: by widget, not
      // by `then` (a notice's Shown makes a new one each time), or one that drew nothing yet was
      // asked again for ever, and the tab froze.
      const asked = early.get(widget)
      if (!hosts.length && asked !== null) {
        if (asked) return !!asked.push(then)
        const thens = [then]
        early.set(widget, thens)
        queueMicrotask(() => {
          early.set(widget, null)
          thens.forEach((fn) => {
            try {
              fn()
            } catch {}
          })
          early.delete(widget)
        })
        return true
      }
      return aside.hides(hosts, then) || layout.waits(hosts, then)
    },
    contextFor(widget, onFail) {
      const mine = new Map<string, Surface>()
      widgets.set(widget, mine)
      // What the widget tells of is what it drew or asked for last (a banner announces its title
      // as it is drawn).
      let last: Surface | undefined
      let failed = false
      const ctx: WidgetContext = {
        linger,
        host: linger.host,
        surface(name, css, layer = 'base') {
          const existing = mine.get(name)
          if (existing?.hostEl.isConnected) return (last = existing)
          const s = makeSurface(name, css, layer, () => mine.delete(name))
          mine.set(name, s)
          return (last = s)
        },
        t,
        dir,
        locale,
        announce: (message, politeness) => announce(message, politeness, last),
        layout,
        screen,
        reducedMotion: () => reducedMotion(win),
        fail(name, error) {
          linger.host.reportError({ code: 'widget-failed', message: `${name}: ${error instanceof Error ? error.message : String(error)}`, details: { widget: name } })
          if (failed) return
          failed = true
          onFail()
        },
      }
      return { ctx, removeSurfaces: () => [...mine.values()].forEach((s) => s.remove()) }
    },
    dispose() {
      // The region first: the others, removed, would make a new one to say what they kept.
      live?.surface.remove()
      ;[...all].forEach((s) => s.remove())
      layout.dispose()
      screen.dispose()
      for (const type of KEYS) win.removeEventListener(type, onKeys, true)
      aside.dispose()
      if (host.screen === screen) delete host.screen
    },
  }
}

/**
 * `enter(dialog)` puts the surface in the page's modal `dialog` (the browser makes everything
 * outside it inert), with focus where it was in it, and has it follow the dialog: when it closes,
 * or leaves the document without closing (an app unmounting it), the surface goes to the page's
 * next open modal dialog, or `home`. Each move is `moved` (on top again, the page around it inert
 * again). While in a dialog, Escape in the surface is for it: the browser would close the dialog
 * too, unless the key is cancelled (before the surface closes on it). Its clicks are its own:
 * the page's "a click outside the dialog's box closes it" would hear them, retargeted to it.
 * So too in the page's aria-modal box (no <dialog>), which may also be hidden: `enter()` asks
 * whether the one it is in is gone (step-aside's look sees an ancestor hidden).
 */
function hostedIn(doc: Document, hostEl: HTMLElement, home: HTMLElement, moved: () => void, modal: boolean) {
  let at: Element | undefined
  // A box removed with a modal of ours in it took focus to the body: back where it was in it.
  let last: HTMLElement | undefined
  modal && hostEl.addEventListener('focusin', (e) => (last = e.composedPath()[0] as HTMLElement))
  hostEl.addEventListener('keydown', (e) => at && e.key === 'Escape' && e.preventDefault(), true)
  for (const type of ['click', 'pointerdown', 'pointerup', 'mousedown', 'mouseup']) hostEl.addEventListener(type, (e) => at && e.stopPropagation())
  const go = (to?: Element) => {
    at?.removeEventListener('close', follow)
    if (hostEl.parentNode !== (to ?? home)) {
      const focused = (hostEl.shadowRoot?.activeElement ?? last) as HTMLElement | null | undefined
      ;(to ?? home).append(hostEl)
      moved()
      focused?.focus({ preventScroll: true })
    }
    // Its own attributes too: a box hidden as Bootstrap-style modals are (display:none), kept in the page.
    if ((at = to)) to.addEventListener('close', follow), watch.observe(home, { childList: true, subtree: true }), watch.observe(to, { attributes: true })
    else watch.disconnect()
  }
  const follow = () => {
    // Removed meanwhile (it closed): nothing more to follow.
    if (hostEl.parentNode !== at) return watch.disconnect()
    if (!at!.isConnected || !((at as HTMLDialogElement).open ?? visible(at!))) go(hostModal(doc))
  }
  const watch = new MutationObserver(follow)
  // One the page took out of the document is gone: not brought back by a dialog opening.
  return (to?: Element) => (to ? void (hostEl.isConnected && go(to)) : follow())
}

const keyOf = (e: Event) => (e as KeyboardEvent).code || (e as KeyboardEvent).key

/** Each character above U+007F in the strings of `value`, once. */
function rareCharacters(value: unknown): string {
  // JSON.stringify leaves these characters as they are.
  return [...new Set(JSON.stringify(value).match(/[^\0-\x7f]/gu))].join('')
}
