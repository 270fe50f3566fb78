import { readFileSync } from 'node:fs'
// @ts-expect-error jsdom ships no types (the tests use it through vitest's environment elsewhere)
import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import { evaluateRule, type AudienceFacts } from '../packages/sdk/src/audience'
import { validateFlows } from '../packages/sdk/src/config/validate-flows'
import type { Rule } from '../packages/sdk/src/rule'
import { dayKeyIn, emptyProfile } from '../packages/sdk/src/usage'
// @ts-expect-error plain ESM shared with the demo server
import { personas } from './personas.mjs'

// The demo's own flows (examples/flows.json), judged for the demo's own users: the three people
// in the "Signed in as" menu, with the traits the demo backend sends in identify().
const flows = JSON.parse(readFileSync(new URL('../examples/flows.json', import.meta.url), 'utf8'))
const NOW = Date.parse('2026-06-15T10:00:00Z')
const people: Record<string, { traits: Record<string, unknown> }> = personas(NOW)
const byId = (list: Array<{ id: string }>, id: string) => list.find((x) => x.id === id) as unknown as { audience: Rule }
const facts = (over: Partial<AudienceFacts> = {}): AudienceFacts => ({
  checklistStatus: () => 'not-started',
  hasBadge: () => false,
  surveyAnswered: () => false,
  points: () => 0,
  ...over,
})

// A first visit on a new device: no usage yet, only what the server says about the account. The
// user's days are the machine's, as the demo's personas are dated (a CI runner far from UTC too).
const dayKey = dayKeyIn()
function sees(rule: Rule, who: string, f: AudienceFacts = facts()) {
  return evaluateRule(rule, { profile: emptyProfile(), traits: people[who].traits, now: NOW, today: dayKey(NOW), dayKey, url: 'http://127.0.0.1:5173/#/dashboard', userKey: who, experienceId: 'x', facts: f })
}

describe('the demo flows, for the demo’s own users', () => {
  it('are valid as written: nothing is skipped or reported', () => {
    expect(validateFlows(flows).errors).toEqual([])
  })

  it('"Get started" is for the new customer only, not for customers of 40 or 90 days on a new device', () => {
    const checklist = flows.checklists[0].audience
    expect(['u_42', 'u_7', 'u_900'].map((u) => sees(checklist, u))).toEqual([true, false, false])
  })

  it('every persona can reach the NPS survey: long-time customers at once, the new one after onboarding', () => {
    const nps = byId(flows.surveys, 'nps-quarterly').audience
    expect(sees(nps, 'u_7')).toBe(true)
    expect(sees(nps, 'u_900')).toBe(true)
    expect(sees(nps, 'u_42')).toBe(false)
    expect(sees(nps, 'u_42', facts({ checklistStatus: () => 'completed' }))).toBe(true)
    // No sampling on it, so nobody in the demo is left out by chance, and no cooldown in the way.
    expect(byId(flows.surveys, 'nps-quarterly')).not.toHaveProperty('sample')
    expect(flows.settings.cooldownDays).toBe(0)
  })

  it('a user on the free plan gets no save offer (there is no subscription to discount)', () => {
    const cancel = flows.cancelFlow.audience
    expect(['u_42', 'u_7', 'u_900'].map((u) => sees(cancel, u))).toEqual([true, true, false])
  })
})

describe('the value review in the demo', () => {
  it('is valid, and its vendor metric is there for the established customers, not the new one', () => {
    const review = flows.valueReviews[0]
    expect(review.id).toBe('month-in-acme')
    const metric = review.items.find((i: { trait?: string }) => i.trait)
    expect(['u_42', 'u_7', 'u_900'].map((u) => people[u].traits[metric.trait] !== undefined)).toEqual([false, true, true])
  })
})

describe('the numbers the demo shows a user about their work', () => {
  // The value reminder and the month's review count this user's own events (their usage profile)
  // and traits: a Team member who sees "what your team built: Projects created: 1" is told a
  // number about their team that is not true.
  it('are introduced as the user’s own, not their team’s', () => {
    const texts = [flows.cancelFlow.valueReminder.title, ...flows.cancelFlow.valueReminder.items.map((i: { label: string }) => i.label)]
    for (const review of flows.valueReviews) texts.push(review.title, review.intro ?? '', ...review.items.map((i: { label: string }) => i.label))
    expect(texts.filter((t) => /\bteam\b/i.test(t))).toEqual([])
  })
})

describe('what the demo’s announcements tell its users', () => {
  // Acme's own page: what the announcements and tours say about it must be found there.
  const acme: Document = new JSDOM(readFileSync(new URL('./public/index.html', import.meta.url), 'utf8')).window.document
  const announced = (id: string) => (flows.announcements as Array<{ id: string; body: string; action?: { url?: string } }>).find((a) => a.id === id)!
  const pageOf = (selector: string) => acme.querySelector(selector)?.closest('[data-page]')?.getAttribute('data-page')

  it('"Connect Slack" in What’s new leads to the page with the Slack button, and says where it is', () => {
    const slack = announced('whats-new-slack')
    expect(slack.action?.url).toBe(`#/${pageOf('[data-action="connect-slack"]')}`)
    expect(slack.body).toMatch(new RegExp(`\\b${acme.querySelector(`a[data-route="${pageOf('[data-action="connect-slack"]')}"]`)!.textContent}\\b`))
  })

  it('the project templates it announces are the ones the New project form offers', () => {
    const offered = [...acme.querySelectorAll('select[name="template"] option')].map((o) => o.textContent)
    const named = announced('whats-new-templates').body.match(/template: (.*)\./)![1]!.split(/, | or /)
    expect(named.sort()).toEqual(offered.sort())
  })

  it('the export tour promises the format the Export button exports', () => {
    const step = flows.tours.find((t: { id: string }) => t.id === 'export-tour').steps.find((s: { id: string }) => s.id === 'export-button')
    expect(acme.querySelector('[data-tour="export"]')!.textContent).toContain('CSV')
    expect(step.body).not.toMatch(/PDF/)
  })
})

describe('the monthly value review in the demo', () => {
  it('is scheduled for the free-plan customer (what Acme already does for them), not for the paying ones', () => {
    const review = flows.valueReviews[0]
    expect(['u_42', 'u_7', 'u_900'].map((u) => sees(review.audience, u))).toEqual([false, false, true])
  })
})

describe('announcements and billing prompts in the demo', () => {
  const announcement = (id: string) => (flows.announcements as Array<{ id: string; audience?: Rule }>).find((a) => a.id === id)!.audience!

  it('the 3.0 "what\'s new" modal is for customers who knew 2.x, not the new one', () => {
    expect(['u_42', 'u_7', 'u_900'].map((u) => sees(announcement('acme-3'), u))).toEqual([false, true, true])
  })

  it('"you asked, we built it" reaches long-time customers who exported reports or answered NPS as detractors', () => {
    const rule = announcement('velocity-reports')
    expect(sees(rule, 'u_900')).toBe(false)
    expect(sees(rule, 'u_900', facts({ surveyAnswered: (id) => id === 'nps-quarterly', surveyCategory: () => 'detractor' }))).toBe(true)
    expect(sees(rule, 'u_900', facts({ surveyAnswered: (id) => id === 'nps-quarterly', surveyCategory: () => 'promoter' }))).toBe(false)
  })

  it('Sam is past due (the payment banner), Dana renews in 7 days (the reminder), Alex on the free plan gets neither', () => {
    expect(['u_42', 'u_7', 'u_900'].map((u) => people[u].traits.paymentStatus ?? null)).toEqual(['active', 'past_due', null])
    expect(['u_42', 'u_7', 'u_900'].map((u) => sees({ daysUntil: 'renewsAt', lte: 7 }, u))).toEqual([true, false, false])
    expect(sees(flows.billing.annualOffer.audience, 'u_900')).toBe(false)
  })
})
