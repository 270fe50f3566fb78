import { describe, expect, it } from 'vitest'
import { useBrowserSuite } from '../harness'
import { everyExperience, HOST_BODY, readSurfaces, walkEveryExperience, type Fill } from './every-experience'

// A flows document is vendor-written text shown to end users: markup in it must stay text.
// Build first: LINGER_CDN_DIR=/tmp/cdn-hard node scripts/build.mjs
const suite = useBrowserSuite()

/** Each payload calls `__pwn(n)` if it ever runs; `n` tells which field it came from. */
const CORPUS = [
  (n: number) => `<script>__pwn(${n})</script>`,
  (n: number) => `<img src=x onerror="__pwn(${n})">`,
  (n: number) => `<svg onload=__pwn(${n})>`,
  (n: number) => `"><iframe src="javascript:__pwn(${n})"></iframe>`,
  (n: number) => `</script><script>__pwn(${n})</script>`,
  (n: number) => `javascript:__pwn(${n})`,
  (n: number) => `<a href="javascript:__pwn(${n})">click</a>`,
  (n: number) => `</style><style>*{display:none}</style><img src=x onerror=__pwn(${n})>`,
  (n: number) => `x{}*{background:url("javascript:__pwn(${n})")}`,
  (n: number) => `\u202e${n}gpj.exe\u202c <b onmouseover=__pwn(${n})>`,
  (n: number) => `<math><mtext><table><mglyph><style><img src=x onerror=__pwn(${n})>`,
  (n: number) => `&lt;img src=x onerror=__pwn(${n})&gt; &amp; ${'${__pwn('}${n})}`,
  (n: number) => `<details open ontoggle=__pwn(${n})>`,
  (n: number) => `<input autofocus onfocus=__pwn(${n})>`,
]
// Badge and level icons hold at most 16 characters.
const SHORT = ['<b>x</b>', '<svg/onload=1>', '\u202eexe.gnp', '<img/src/>']

function corpusFill() {
  const written = new Map<string, string>()
  let n = 0
  const fill: Fill = (field, max) => {
    const i = n++
    const long = CORPUS[i % CORPUS.length](i)
    const value = long.length <= max ? long : SHORT[i % SHORT.length]
    written.set(field, value)
    return value
  }
  return { fill, written }
}

// Links the schema must refuse: each in a checklist of its own, so each is reported on its own.
const BAD_URLS = ['javascript:__pwn(900)', 'JaVaScRiPt:__pwn(901)', 'java\tscript:__pwn(902)', ' javascript:__pwn(903)', 'data:text/html,<script>__pwn(904)</script>', 'vbscript:__pwn(905)', '\u0000javascript:__pwn(906)', 'javascript://example.com/%0a__pwn(907)']

const SENTINEL = `
  window.__pwn = (n) => (window.__pwned = window.__pwned || []).push(n);
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => __csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));`

// Reached only on paths the walk does not take (a passive score, a sent comment); the checklist
// view does not show task descriptions at all.
const NOT_ON_THE_WALK = new Set(['task.description', 'nps.followUp.passive', 'nps.followUp.promoter', 'nps.thankYou', 'text.thankYou', 'choice.comment', 'ces.comment', 'task3.title', 'cancel.reason2.label'])

describe('an XSS corpus in every text field of every experience', () => {
  it('never runs, renders as text everywhere, and never renders a link other than http(s) or relative', async () => {
    const { fill, written } = corpusFill()
    const flows = everyExperience(fill)
    flows.checklists.push(...BAD_URLS.map((url, i) => ({ id: `bad-${i}`, title: 'Bad link', tasks: [{ id: 't', title: 'x', doneWhen: { event: 'Never' }, cta: { label: 'go', url } }] })) as never[])
    // Served as a file, as vendors host it: inline in a script, `</script>` would end the host's own script.
    suite.site.files['/xss-flows.json'] = { body: JSON.stringify(flows) }

    const context = await suite.browser.newContext()
    await context.addInitScript(SENTINEL)
    const init = suite.initScript({ flows: `${suite.site.url}/xss-flows.json` }, '{ onUpdatePayment: () => {} }')
    const script = `window.__errors = []; ${init} linger.on('error', (e) => __errors.push(e)); linger.on('ready', () => (window.lingerReady = true));`
    // Report-only: a blocking policy would hide a payload that runs; this one reports any attempt.
    const host = await suite.hostPage({ body: HOST_BODY, script, nonce: 'n0nce' })
    host.headers = { 'Content-Security-Policy-Report-Only': "script-src 'self' 'nonce-n0nce'; style-src 'self'; img-src 'self'; frame-src 'none'" }
    const { page } = await suite.open('/xss', host, context)
    const consoleErrors: string[] = []
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))

    const seen: Array<Awaited<ReturnType<typeof readSurfaces>>[number] & { step: string }> = []
    await walkEveryExperience(
      page,
      async (step) => {
        for (const s of await readSurfaces(page)) seen.push({ ...s, step })
      },
      async (_step, selector) => void (await page.locator(selector).first().waitFor({ timeout: 10_000 })),
    )
    // Hovering and focusing are how some payloads fire: do both over everything still shown.
    await page.mouse.move(300, 300)

    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined()
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(consoleErrors.filter((m) => /Content Security Policy|Refused/.test(m))).toEqual([])
    expect(suite.pageErrors).toEqual([])

    // Every payload on the walk shows up literally, as text (or as an accessible name).
    const allText = seen.map((s) => `${s.text} ${s.labels}`).join('\n')
    const missing = [...written].filter(([field, value]) => !NOT_ON_THE_WALK.has(field) && !allText.includes(value.replace('{count}', '')))
    expect(missing).toEqual([])
    // Nothing the payloads carry became an element or a handler.
    const tags = new Set(seen.flatMap((s) => s.elements))
    for (const tag of ['script', 'img', 'iframe', 'svg', 'math', 'style', 'details', 'mglyph', 'b']) expect(tags.has(tag), tag).toBe(false)
    expect(seen.flatMap((s) => s.inlineHandlers)).toEqual([])
    // Links are http(s) or relative, and only the ones the vendor wrote.
    const hrefs = [...new Set(seen.flatMap((s) => s.hrefs))]
    expect(hrefs.length).toBeGreaterThan(0)
    for (const href of hrefs) expect(['http:', 'https:'], href).toContain(new URL(href, page.url()).protocol)
    expect(hrefs.sort()).toEqual(['/new?x=%22%3E', '/ok?next=%22%3E', 'https://example.com/new', 'https://example.com/x'])

    // Each refused link was reported at its own path, and its checklist skipped.
    const errors: Array<{ code: string; message: string }> = await page.evaluate(() => (window as any).__errors)
    BAD_URLS.forEach((_, i) => expect(errors.some((e) => e.code === 'invalid-config' && e.message.startsWith(`checklists[${i + 1}].tasks[0].cta.url: `)), `bad url #${i}`).toBe(true))
    await context.close()
  }, 180_000)
})
