import type { Page } from 'playwright-core'
import { ICONS } from '../../packages/widgets/src/badges/icons'

/**
 * One flows document with every experience kind and every text field a vendor can write, and a
 * walk through all of them on a host page: the hardening suites run this same walk on hostile
 * hosts (strict CSP, hostile CSS) and with hostile text (XSS corpus).
 */

/** Fills one text field: `field` names it (for failure messages), `max` is its schema cap. */
export type Fill = (field: string, max: number) => string

// No inline styles: the strict-CSP host would report them as its own violations.
export const HOST_BODY = `<main>
  <h1>Acme</h1>
  <p><button id="t" type="button">Reports</button></p>
  <p><br><br><br><button id="hot" type="button">Integrations</button></p>
  <p><br><br><br><button id="cancel-subscription" type="button">Cancel subscription</button></p>
</main>`

export function everyExperience(fill: Fill) {
  const f = fill
  return {
    version: 1,
    settings: { cooldownDays: 0 },
    checklists: [
      {
        id: 'list',
        title: f('checklist.title', 200),
        description: f('checklist.description', 1000),
        tasks: [
          { id: 'a', title: f('task.title', 200), description: f('task.description', 1000), doneWhen: { event: 'Never' }, cta: { label: f('task.cta.label', 80), url: '/ok?next=%22%3E' } },
          { id: 'b', title: f('task2.title', 200), doneWhen: { event: 'Earn' }, cta: { label: f('task2.cta.label', 80), url: 'https://example.com/x' } },
          { id: 'c', title: f('task3.title', 200), doneWhen: { event: 'Never' }, tour: 'tour' },
        ],
        reward: { points: 5, badge: 'earned' },
      },
    ],
    tours: [
      { id: 'tour', steps: [{ id: 's1', target: '#t', title: f('tour.step.title', 200), body: f('tour.step.body', 1000), placement: 'right' }, { id: 's2', title: f('tour.step2.title', 200), body: f('tour.step2.body', 1000) }] },
      { id: 'hotspot', trigger: { event: 'Hot' }, steps: [{ id: 'h', target: '#hot', title: f('hotspot.title', 200), body: f('hotspot.body', 1000), beacon: true }] },
    ],
    badges: [
      { id: 'earned', title: f('badge.title', 100), description: f('badge.description', 300), icon: f('badge.icon', 16), rule: { event: 'Earn' } },
      { id: 'later', title: f('badge2.title', 100), description: f('badge2.description', 300), icon: f('badge2.icon', 16), rule: { event: 'Never', count: { gte: 3 } } },
    ],
    levels: [
      { name: f('level.name', 80), points: 0 },
      { name: f('level2.name', 80), points: 1000 },
    ],
    surveys: [
      { id: 'nps', kind: 'nps', question: f('nps.question', 300), followUp: { detractor: f('nps.followUp.detractor', 300), passive: f('nps.followUp.passive', 300), promoter: f('nps.followUp.promoter', 300) }, thankYou: f('nps.thankYou', 300) },
      { id: 'csat', kind: 'csat', question: f('csat.question', 300), followUp: { dissatisfied: f('csat.followUp.dissatisfied', 300) } },
      { id: 'ces', kind: 'ces', scale: 7, question: f('ces.question', 300), comment: f('ces.comment', 300) },
      { id: 'choice', kind: 'choice', question: f('choice.question', 300), options: [f('choice.option1', 200), f('choice.option2', 200)], other: true, comment: f('choice.comment', 300) },
      { id: 'text', kind: 'text', question: f('text.question', 300), thankYou: f('text.thankYou', 300) },
    ],
    cancelFlow: {
      id: 'save-offer',
      trigger: { selector: '#cancel-subscription' },
      valueReminder: { title: f('cancel.valueReminder.title', 200), items: [{ event: 'Earn', label: f('cancel.valueReminder.label', 200) }, { points: true, label: f('cancel.valueReminder.points', 200) }] },
      reasons: [
        { id: 'price', label: f('cancel.reason.label', 200), offer: 'discount' },
        { id: 'other', label: f('cancel.reason2.label', 200), comment: true },
      ],
      offers: [
        { id: 'discount', kind: 'discount', title: f('cancel.offer.title', 200), body: f('cancel.offer.body', 1000), percent: 30, months: 3 },
        // Not mapped to a reason: opened on its own by show(id), with the months picker.
        { id: 'pause', kind: 'pause', title: f('cancel.pause.title', 200), body: f('cancel.pause.body', 1000), months: 3 },
      ],
    },
    // Each waits for its own event, so the walk meets them one at a time, at its end; as a vendor
    // would, no feature news for someone whose card just failed.
    announcements: [
      { id: 'banner', format: 'banner', pushLayout: true, title: f('announcement.title', 120), body: f('announcement.body', 1000), action: { label: f('announcement.action.label', 60), url: '/new?x=%22%3E' }, audience: { all: [{ event: 'Banner' }, { not: { trait: 'paymentStatus', exists: true } }] } },
      { id: 'release', format: 'modal', title: f('release.title', 120), body: f('release.body', 1000), action: { label: f('release.action.label', 60) }, audience: { all: [{ event: 'Release' }, { not: { trait: 'paymentStatus', exists: true } }] } },
      { id: 'item', format: 'feed', title: f('feed.title', 120), body: f('feed.body', 1000), publishedAt: '2026-11-20', action: { label: f('feed.action.label', 60), url: 'https://example.com/new' }, audience: { event: 'Feed' } },
    ],
    billing: {
      paymentPrompt: { id: 'card', title: f('payment.title', 120), body: f('payment.body', 600), action: f('payment.action', 60), wallAfterDays: 3, wallTitle: f('payment.wallTitle', 120), wallBody: f('payment.wallBody', 600) },
      renewalReminders: { id: 'renewal', title: f('renewal.title', 120), body: f('renewal.body', 600), action: f('renewal.action', 60) },
      annualOffer: { id: 'annual', title: f('annual.title', 120), body: f('annual.body', 600), action: f('annual.action', 60), percent: 20 },
    },
  }
}

export type Snapshot = (step: string) => Promise<void>

/**
 * Every open shadow root Linger attached, with its text, links and widget boxes. `elements`
 * leaves out Linger's own icons (an `<svg>` holding one `<path>` of the built-in set), so any
 * svg or path listed came from somewhere else.
 */
export function readSurfaces(page: Page) {
  return page.evaluate((icons) =>
    [...document.querySelectorAll('[data-linger]')].map((host) => {
      const root = host.shadowRoot!
      const ownIcon = (el: Element) => {
        const svg = el.tagName === 'path' ? el.parentElement : el
        return svg?.tagName === 'svg' && svg.children.length === 1 && icons.includes(svg.firstElementChild!.getAttribute('d') ?? '')
      }
      return {
        name: host.getAttribute('data-linger')!,
        text: root.textContent ?? '',
        labels: [...root.querySelectorAll('[aria-label],[title],[placeholder]')].map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('placeholder') ?? ''}`).join(' '),
        hrefs: [...root.querySelectorAll('[href],[src],[action],[formaction],[xlink\\:href]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? ''),
        elements: [...root.querySelectorAll('*')].filter((el) => !ownIcon(el)).map((el) => el.tagName.toLowerCase()),
        inlineHandlers: [...root.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((a) => a.startsWith('on'))),
      }
    }),
    Object.values(ICONS),
  )
}

const call = (page: Page, method: string, ...args: unknown[]) => page.evaluate(([m, a]) => (window as any).linger[m as string](...(a as unknown[])), [method, args] as const)

/** A widget's box: on screen and big enough to use. */
export async function boxOf(page: Page, selector: string) {
  const el = page.locator(selector).first()
  await el.waitFor({ timeout: 10_000 })
  return (await el.boundingBox())!
}

/**
 * Shows every experience in turn, as a user meets them: `snap(step)` runs with each one on
 * screen, and `usable(step, selector)` checks the element a user would act on.
 */
export async function walkEveryExperience(page: Page, snap: Snapshot, usable: (step: string, selector: string) => Promise<void>) {
  // A failure names the step it happened at, not just a selector that timed out.
  let at = 'start'
  const track = (step: string) => (at = step)
  page.setDefaultTimeout(10_000)
  try {
    await walk(page, async (step) => (track(`${step} (snapshot)`), snap(step)), async (step, selector) => (track(step), usable(step, selector)))
  } catch (e) {
    throw new Error(`walking every experience, at "${at}": ${String(e)}`)
  }
}

async function walk(page: Page, snap: Snapshot, usable: (step: string, selector: string) => Promise<void>) {
  await page.waitForFunction(() => (window as any).lingerReady === true)

  // Checklist: the launcher, then its panel.
  await usable('checklist launcher', 'linger-checklist button[aria-expanded]')
  await page.getByRole('button', { name: /tasks done/ }).click()
  await usable('checklist panel', 'linger-checklist section')
  await snap('checklist')
  await page.keyboard.press('Escape')

  // A badge earned: the toast; then the shelf.
  await call(page, 'track', 'Earn')
  await usable('badge toast', 'linger-badge-toast button')
  await snap('badge toast')
  await call(page, 'show', 'badges')
  await usable('badges shelf', 'linger-badge-shelf [role=dialog]')
  await snap('badges shelf')
  await page.locator('linger-badge-shelf').getByRole('button', { name: 'Close badges' }).click()
  await page.locator('linger-badge-shelf [role=dialog]').waitFor({ state: 'detached' })

  // A tour step beside its target, then a centred one.
  await call(page, 'show', 'tour')
  await usable('tour step', 'linger-tours [role=dialog]')
  await snap('tour step 1')
  await page.locator('linger-tours').getByRole('button', { name: 'Next' }).click()
  await page.locator('linger-tours [role=dialog].centered').waitFor()
  await snap('tour step 2')
  await page.locator('linger-tours').getByRole('button', { name: 'Close tour' }).click()
  await page.locator('linger-tours [role=dialog]').waitFor({ state: 'detached' })

  // A hotspot: its beacon, then its tip.
  await call(page, 'track', 'Hot')
  await usable('hotspot beacon', 'linger-tours button.beacon')
  await snap('hotspot beacon')
  await page.locator('linger-tours button.beacon').click()
  await usable('hotspot tip', 'linger-tours [role=dialog]')
  await snap('hotspot tip')
  await page.locator('linger-tours').getByRole('button', { name: 'Close tour' }).click()
  await page.locator('linger-tours [role=dialog]').waitFor({ state: 'detached' })

  // Each survey kind: the question, then what follows the lowest answer.
  for (const id of ['nps', 'csat', 'ces', 'choice', 'text']) {
    await call(page, 'show', id)
    const card = page.locator('linger-survey [role=dialog], linger-survey-modal [role=dialog]').first()
    await usable(`${id} survey`, 'linger-survey [role=dialog], linger-survey-modal [role=dialog]')
    await snap(`${id} survey`)
    if (id === 'text') await card.getByRole('textbox').fill('fine')
    else await card.locator('[role=radio], [role=checkbox], input').first().click()
    await card.getByRole('button', { name: /send|submit|next/i }).first().click().catch(() => {})
    await page.waitForTimeout(150)
    await snap(`${id} survey answered`)
    await page.getByRole('button', { name: 'Close survey' }).first().click()
    await card.waitFor({ state: 'detached' })
  }

  // The cancel flow, from the host's own button: value reminder, reasons, offer.
  await page.locator('#cancel-subscription').click()
  const dialog = page.locator('linger-cancel [role=dialog]')
  await usable('cancel flow', 'linger-cancel [role=dialog]')
  await snap('cancel value reminder')
  await dialog.getByRole('button', { name: 'Continue to cancel', exact: true }).click()
  await dialog.getByRole('radio').first().waitFor()
  await snap('cancel reasons')
  await dialog.getByRole('radio').first().check()
  await dialog.getByRole('button', { name: 'Continue to cancel', exact: true }).click()
  await dialog.getByRole('button', { name: 'No thanks, continue', exact: true }).waitFor()
  await snap('cancel offer')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })

  // A pause on its own: the offer, its 1–3 months and the resume date.
  await call(page, 'show', 'pause')
  await usable('pause offer', 'linger-cancel [role=dialog]')
  await dialog.getByRole('radio', { name: '1 month' }).check()
  await snap('pause offer')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  // Announcements: the "what's new" feed, a banner, a release modal.
  await call(page, 'track', 'Feed')
  await usable('whats new launcher', 'linger-announcements-feed button.launcher')
  await page.locator('linger-announcements-feed button.launcher').click()
  await usable('whats new feed', 'linger-announcements-feed #la-panel')
  await snap('whats new feed')
  await page.keyboard.press('Escape')
  await call(page, 'track', 'Banner')
  await usable('announcement banner', 'linger-announcements-banner section.banner')
  await snap('announcement banner')
  await page.locator('linger-announcements-banner').getByRole('button', { name: 'Dismiss' }).click()
  await page.locator('linger-announcements-banner section.banner').waitFor({ state: 'detached' })
  await call(page, 'track', 'Release')
  await usable('release modal', 'linger-announcements-modal [role=dialog]')
  await snap('release modal')
  await page.keyboard.press('Escape')
  await page.locator('linger-announcements-modal [role=dialog]').waitFor({ state: 'detached' })

  // Billing: a renewal reminder, then the annual-plan offer (one banner a day, one at a time).
  const DAY = 86_400_000
  const billingBanner = page.locator('linger-billing-banner section.banner')
  await call(page, 'identify', 'payer', { paymentStatus: 'active', renewsAt: new Date(Date.now() + 3 * DAY - 3_600_000).toISOString() })
  await usable('renewal reminder', 'linger-billing-banner section.banner')
  await snap('renewal reminder')
  await billingBanner.getByRole('button', { name: 'Dismiss' }).click()
  await call(page, 'identify', 'payer', { billingInterval: 'month', subscribedAt: new Date(Date.now() - 100 * DAY).toISOString() })
  await usable('annual offer', 'linger-billing-banner section.banner')
  await snap('annual offer')
  await billingBanner.getByRole('button', { name: 'Dismiss' }).click()
  await billingBanner.waitFor({ state: 'detached' })

  // A failed payment: the banner while in grace, then the wall.
  await call(page, 'identify', 'payer', { paymentStatus: 'past_due' })
  await usable('payment banner', 'linger-billing-banner section.banner')
  await snap('payment banner')
  await call(page, 'identify', 'payer', { paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 5 * DAY).toISOString() })
  await usable('payment wall', 'linger-billing-modal [role=alertdialog]')
  await snap('payment wall')
}
