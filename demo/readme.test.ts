import { execFileSync } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM, shared with `npm run size`
import { budgets } from '../scripts/budgets.mjs'
import { validateFlows } from '../packages/sdk/src/config/validate-flows'
import { vendorTypecheck as typecheck } from '../test/vendor-typecheck'

// The README is a vendor's first hour: what it prints, they copy; what it quotes, they plan by.
const repo = resolve(__dirname, '..')
const readme = readFileSync(join(repo, 'README.md'), 'utf8')

/** Every fenced block of `lang` after `heading` (up to the next heading of its level), as printed. */
function snippets(heading: string, lang: string): string[] {
  const from = readme.indexOf(heading)
  expect(from, `no ${heading}`).toBeGreaterThanOrEqual(0)
  const level = heading.split(' ')[0]!
  const next = readme.indexOf(`\n${level} `, from + heading.length)
  const section = readme.slice(from, next < 0 ? undefined : next)
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]! + '\n')
}

/** The first fenced block of `lang` after `heading`, as printed. */
function snippet(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(heading))
  const open = section.indexOf('```' + lang + '\n')
  expect(open, `no ${lang} block under ${heading}`).toBeGreaterThanOrEqual(0)
  const start = open + lang.length + 4
  return section.slice(start, section.indexOf('\n```', start) + 1)
}

describe('the README, followed literally', () => {
  it('its "Install from npm" example compiles as printed, pasted into a new TypeScript file', () => {
    expect(typecheck(snippet('## Install from npm', 'ts'), { module: 'NodeNext', moduleResolution: 'NodeNext' })).toBe('')
  }, 60_000)

  // "Install from npm", and `npx linger-flows-check` "run on the built package": what npm would
  // publish of each package holds every file its package.json sends a vendor's bundler, compiler
  // and shell to (npm leaves out what the repository's .gitignore names, dist/ among it).
  for (const pkg of ['sdk', 'widgets']) {
    it(`@linger/${pkg} as npm would publish it has the files its package.json points to`, () => {
      const dir = join(repo, 'packages', pkg)
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
      const files = new Set<string>(packed[0].files.map((f: { path: string }) => f.path))
      const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [])
      const named = strings([manifest.main, manifest.module, manifest.types, manifest.exports, manifest.bin]).map((p) => p.replace(/^\.\//, ''))
      expect(named.length).toBeGreaterThan(2)
      expect(named.filter((p) => !files.has(p)), `not in the package npm would publish (${files.size} files)`).toEqual([])
    }, 60_000)
  }

  // Each size the README quotes, by the chunk it names: within 5% of what the budget lets that
  // chunk weigh (npm test keeps every chunk within its budget, and they sit close to it).
  const quoted: Array<[string, RegExp, string]> = [
    ['the engine, in "What your page pays"', /experience controllers of every kind and the widgets' mount \(one ~([\d.]+) KB chunk/, 'engine and experience controllers (flows with something to show)'],
    ['validation, in "What your page pays"', /skips validation and its ~([\d.]+) KB chunk/, 'flows validation (zod; a document not seen before)'],
    ['validation, in "Before it ships"', /does not load the validation chunk \(~([\d.]+) KB gzip\)/, 'flows validation (zod; a document not seen before)'],
    ['the sync chunk, in "What your page pays"', /the sync chunk \(about ([\d.]+) KB gzip/, 'state sync (verified users)'],
  ]
  for (const [where, sentence, chunk] of quoted) {
    it(`quotes the size of ${where} as the chunk weighs`, () => {
      const match = readme.match(sentence)
      expect(match, `the README no longer says ${sentence}`).not.toBeNull()
      const budget = budgets[chunk] / 1024
      expect(Math.abs(Number(match![1]) - budget) / budget, `README: ${match![1]} KB; budget: ${budget.toFixed(2)} KB`).toBeLessThanOrEqual(0.05)
    })
  }

  // show(id) and why(id) find an experience by id: one that shares a survey's id is skipped. The
  // README's list is where a vendor learns which of their ids must differ.
  it('names every kind of experience whose id must differ from the others', () => {
    const example = readFileSync(join(repo, 'examples/flows.json'), 'utf8')
    const taken = 'nps-quarterly'
    const kinds: Array<[string, (f: any) => void]> = [
      ['checklists', (f) => (f.checklists[0].id = taken)],
      ['tours', (f) => (f.tours[0].id = taken)],
      ['value reviews', (f) => (f.valueReviews[0].id = taken)],
      ['announcements', (f) => (f.announcements[0].id = taken)],
      ['billing prompts', (f) => (f.billing.paymentPrompt.id = taken)],
      ['the cancel flow', (f) => (f.cancelFlow.id = taken)],
      ['pause offers', (f) => (f.cancelFlow.offers.find((o: { kind: string }) => o.kind === 'pause').id = taken)],
    ]
    const rule = readme.slice(readme.indexOf('Experience ids are unique across'), readme.indexOf('since `show(id)`'))
    for (const [kind, clash] of kinds) {
      const flows = JSON.parse(example)
      clash(flows)
      expect(validateFlows(flows).errors.map((e) => e.message).join('\n'), kind).toContain(taken)
      expect(rule, `the README's list of ids that share one namespace leaves out ${kind}`).toContain(kind)
    }
  })

  it('sends a reader to sections of bench/RESULTS.md that are there', () => {
    const results = readFileSync(join(repo, 'bench/RESULTS.md'), 'utf8')
    const headings = [...results.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!)
    const named = [...readme.matchAll(/bench\/RESULTS\.md, "([^"]+)"/g)].map((m) => m[1]!)
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter((name) => !headings.some((h) => h.startsWith(name)))).toEqual([])
  })

  it('quotes what a request costs the page with and without sendFromWorker as the latest measurement does (docs/architecture.md)', () => {
    const architecture = readFileSync(join(repo, 'docs/architecture.md'), 'utf8')
    const measured = architecture.match(/a message \(([\d.]+)–([\d.]+) ms[^)]*\) instead of ([\d.]+)–([\d.]+) ms per `fetch\(\)`/)
    const quoted = readme.match(/each request costs your page's main thread ([\d.]+)–([\d.]+) ms instead of ([\d.]+)–([\d.]+) ms/)
    expect(measured, 'docs/architecture.md no longer gives the figures').not.toBeNull()
    expect(quoted, 'the README no longer gives the figures').not.toBeNull()
    expect(quoted!.slice(1)).toEqual(measured!.slice(1))
  })

  // What the script-tag samples pass to `linger(...)` and `linger.*`, checked against the SDK's
  // published types (the same options and handlers createLinger takes): a misspelt option, a
  // handler with the wrong arguments or an event that does not exist fails here, not in a vendor's app.
  it('its script-tag samples pass options, handlers and events the SDK\'s types accept', () => {
    const blocks = [
      ...snippets('## Install by script tag', 'html').map((html) => html.split('\n').filter((l) => !l.includes('<')).join('\n')),
      ...snippets('### Starting it', 'js'),
      ...snippets('### Pausing instead of cancelling', 'js'),
      ...snippets('## Widgets: theming, languages, accessibility', 'js'),
    ]
    expect(blocks.length).toBeGreaterThanOrEqual(5)
    const vendor = `import type { Linger, LingerOptions } from '@linger/sdk'
// The script-tag function: the npm client's methods, and init/identify as commands.
declare const linger: Linger & ((command: 'init', options: LingerOptions) => void) & ((command: 'identify', userId: string, traits?: object, options?: { userHash?: string }) => void)
// What the samples leave to the vendor.
declare const key: string, endpoint: string, flows: string, userHash: string;
declare const onCancel: () => void;
declare function cancelSubscription(): Promise<void>;
declare function applyOffer(offer: { id: string }): Promise<unknown>;
declare const onOfferAccepted: NonNullable<import('@linger/sdk').Handlers['onOfferAccepted']>;
${blocks.map((b) => `{\n${b}}`).join('\n')}
`
    // JavaScript as printed: its untyped parameters are the one thing TypeScript's strict mode adds.
    expect(typecheck(vendor, { module: 'NodeNext', moduleResolution: 'NodeNext', noImplicitAny: false })).toBe('')
  }, 60_000)

  // The save-offer section's browser and server samples, run together as a vendor wires them:
  // the request the `linger.cancel` handler sends goes, as express.json() parses it, into the
  // Stripe route (a recording stand-in for Stripe; the secret and session as on the vendor's server).
  describe('its save-offer samples, browser and server together', () => {
    const SECRET = 'vendor-secret'
    const FLOWS = {
      cancelFlow: {
        id: 'cancel',
        holdout: 0,
        reasons: [
          { id: 'too-expensive', label: 'Too expensive', offer: 'discount-30' },
          { id: 'need-a-break', label: 'I need a break', offer: 'pause-3' },
        ],
        offers: [
          { id: 'pause-3', kind: 'pause', title: 'Pause', months: 3 },
          { id: 'discount-30', kind: 'discount', title: '30% off', percent: 30, months: 3, offerAgainAfterDays: 180 },
        ],
      },
    }
    const [browser] = snippets('### Starting it', 'js')
    const [server] = snippets('### Applying an accepted offer safely', 'js')

    function vendorApp() {
      const stripeCalls: Array<[string, unknown, unknown]> = []
      const stripe = (name: string, answer: (params: any) => unknown = () => ({})) => async (...args: unknown[]) => {
        stripeCalls.push([name, args.length > 2 ? args[1] : args[0], args.at(-1)])
        return answer(args.length > 2 ? args[1] : args[0])
      }
      class Stripe {
        coupons = { create: stripe('coupons.create', () => ({ id: `co_${stripeCalls.length}` })) }
        subscriptions = { retrieve: stripe('subscriptions.retrieve', () => ({ id: 'sub_1', current_period_start: 1_764_547_200 })), update: stripe('subscriptions.update') }
        subscriptionSchedules = { create: stripe('subscriptionSchedules.create'), update: stripe('subscriptionSchedules.update') }
      }
      // The vendor's own records: what the sample asks of them, kept in memory.
      const records = new Map<string, unknown>()
      const saves = new Map<string, string>()
      const db = {
        subscriptionOf: async () => 'sub_1',
        appliedOffer: async (userId: string, offerId: string) => records.get(`${userId}:${offerId}`) ?? null,
        lastOffer: async (userId: string, offerId: string) => records.get(`${userId}:${offerId}`) ?? null,
        recordOffer: async (userId: string, offerId: string, what: unknown) => void records.set(`${userId}:${offerId}`, what),
        // The period's one save offer: an atomic insert, true when inserted or already this offer's.
        reserveSave: async (userId: string, period: number, offerId: string) => (saves.get(`${userId}:${period}`) ?? (saves.set(`${userId}:${period}`, offerId), offerId)) === offerId,
        releaseSave: async (userId: string, period: number, offerId: string) => void (saves.get(`${userId}:${period}`) === offerId && saves.delete(`${userId}:${period}`)),
      }
      let route: ((req: unknown, res: unknown) => Promise<unknown>) | undefined
      const app = { post: (_path: string, ..._handlers: unknown[]) => void (route = _handlers.at(-1) as typeof route) }
      const env = { STRIPE_SECRET_KEY: 'sk_test', LINGER_SECRET: SECRET }
      const body = server
        .replace(/^import .*$/gm, '')
        .replace(/process\.env/g, 'env')
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      new Function('Stripe', 'createHmac', 'timingSafeEqual', 'flows', 'app', 'requireSession', 'db', 'env', 'Buffer', body)(
        Stripe, createHmac, timingSafeEqual, FLOWS, app, () => {}, db, env, Buffer,
      )
      expect(route, 'the server sample registers no route').toBeDefined()
      return { route: route!, stripeCalls }
    }

    /** The browser sample's onOfferAccepted, for user `userId` whose page was rendered with their userHash. */
    function pageOf(userId: string) {
      let handlers: Record<string, (...args: any[]) => unknown> = {}
      const sent: Array<{ url: string; init: RequestInit }> = []
      const linger = { cancel: (h: typeof handlers) => void (handlers = h) }
      const fetch = async (url: string, init: RequestInit) => void sent.push({ url, init })
      const userHash = createHmac('sha256', SECRET).update(userId).digest('hex')
      new Function('linger', 'fetch', 'cancelSubscription', 'userHash', browser!)(linger, fetch, () => {}, userHash)
      return { handlers, sent }
    }

    /** What express.json() hands the route: the body parsed only when it is sent as JSON. */
    const parsed = (init: RequestInit) => {
      const type = new Headers(init.headers).get('content-type') ?? ''
      return type.includes('application/json') ? JSON.parse(String(init.body)) : {}
    }

    async function take(app: ReturnType<typeof vendorApp>, userId: string, offer: object, runId: string) {
      const page = pageOf(userId)
      // The reason that leads to this offer, as the flow asked it.
      const reason = FLOWS.cancelFlow.reasons.find((r) => r.offer === (offer as { id: string }).id)!
      await page.handlers.onOfferAccepted!(offer, { id: reason.id, label: reason.label }, { runId })
      expect(page.sent, 'the browser sample sends no request').toHaveLength(1)
      let status = 200
      let answer: unknown
      const res = { status: (code: number) => ((status = code), res), json: (b: unknown) => void (answer = b) }
      await app.route({ session: { userId }, body: parsed(page.sent[0]!.init) }, res)
      return { status, answer }
    }

    it('a pause the user chose (2 of 3 months) is applied by the server sample as 2 months', async () => {
      const app = vendorApp()
      const result = await take(app, 'u_42', { ...FLOWS.cancelFlow.offers[0], months: 2, resumesAt: '2026-02-06' }, 'run-1')
      expect(result).toMatchObject({ status: 200, answer: { kind: 'pause', months: 2 } })
      expect(app.stripeCalls.filter(([name]) => name === 'subscriptions.update')).toHaveLength(1)
    })

    it('the "Pause subscription" sample: a standalone pause of 2 months goes through the server sample as 2 months', async () => {
      const app = vendorApp()
      const [pausing] = snippets('### Pausing instead of cancelling', 'js')
      let handlers: Record<string, (...args: any[]) => unknown> = {}
      const sent: RequestInit[] = []
      const linger = Object.assign((command: string, options: { handlers: typeof handlers }) => void (command === 'init' && (handlers = options.handlers)), { show: () => true })
      const userHash = createHmac('sha256', SECRET).update('u_42').digest('hex')
      const document = { querySelector: () => ({ addEventListener: () => {} }) }
      new Function('linger', 'fetch', 'document', 'key', 'endpoint', 'flows', 'onCancel', 'userHash', pausing!)(
        linger, async (_url: string, init: RequestInit) => void sent.push(init), document, 'pk', '', {}, () => {}, userHash,
      )
      await handlers.onPause!({ months: 2, resumesAt: '2026-02-06', offer: FLOWS.cancelFlow.offers[0], runId: 'run-1' })
      let status = 200
      let answer: unknown
      const res = { status: (code: number) => ((status = code), res), json: (b: unknown) => void (answer = b) }
      await app.route({ session: { userId: 'u_42' }, body: parsed(sent[0]!) }, res)
      expect({ status, answer }).toMatchObject({ status: 200, answer: { kind: 'pause', months: 2 } })
    })

    it('a discount taken again after its offerAgainAfterDays is applied again, not answered from the first take', async () => {
      const app = vendorApp()
      const offer = FLOWS.cancelFlow.offers[1]!
      expect(await take(app, 'u_42', offer, 'run-1')).toMatchObject({ status: 200, answer: { kind: 'discount' } })
      const first = app.stripeCalls.length
      // The page's own retry of the same run: Stripe is not asked again.
      expect(await take(app, 'u_42', offer, 'run-1')).toMatchObject({ status: 200 })
      expect(app.stripeCalls.length).toBe(first)
      // 200 days later the flow offers it again (offerAgainAfterDays: 180) and the user takes it.
      const later = Date.now() + 200 * 86_400_000
      const now = Date.now
      Date.now = () => later
      try {
        expect(await take(app, 'u_42', offer, 'run-2')).toMatchObject({ status: 200, answer: { kind: 'discount' } })
      } finally {
        Date.now = now
      }
      expect(app.stripeCalls.filter(([name]) => name === 'subscriptions.update')).toHaveLength(2)
    })

    it('a second take within offerAgainAfterDays (a forged request, another run) is refused, not reported as applied', async () => {
      const app = vendorApp()
      const offer = FLOWS.cancelFlow.offers[1]!
      await take(app, 'u_42', offer, 'run-1')
      const result = await take(app, 'u_42', offer, 'run-forged')
      expect(result.status).toBeGreaterThanOrEqual(400)
      expect(app.stripeCalls.filter(([name]) => name === 'subscriptions.update')).toHaveLength(1)
    })

    it('a second, other save offer in the same billing period (the pause, then the discount) is refused: offers do not stack', async () => {
      const app = vendorApp()
      expect(await take(app, 'u_42', { ...FLOWS.cancelFlow.offers[0], months: 1 }, 'run-1')).toMatchObject({ status: 200, answer: { kind: 'pause' } })
      const result = await take(app, 'u_42', FLOWS.cancelFlow.offers[1]!, 'run-2')
      expect(result.status).toBe(409)
      expect(app.stripeCalls.filter(([name]) => name === 'subscriptions.update')).toHaveLength(1)
    })

    it('a request whose userHash is not that of the signed-in user is refused (403), whatever its length in bytes', async () => {
      const app = vendorApp()
      let status = 0
      const res = { status: (code: number) => ((status = code), res), json: () => {} }
      // 64 characters, as a real hash, but not 64 bytes.
      await app.route({ session: { userId: 'u_42' }, body: { userHash: 'é'.repeat(64), offerId: 'pause-3', months: 1 } }, res)
      expect(status).toBe(403)
    })
  })
})

