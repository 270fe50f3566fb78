import { describe, expect, test } from 'vitest'
import { validateFlows } from './validate-flows'

const paymentPrompt = { id: 'card-failed', title: 'Your last payment failed', action: 'Update card' }
const renewalReminders = { id: 'renewal', title: 'Your plan renews soon', action: 'Check card' }
const annualOffer = { id: 'go-annual', title: 'Save 20% yearly', action: 'Switch', percent: 20 }
const checklist = { id: 'getting-started', title: 'Start', tasks: [{ id: 'create', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }

const prompts = (result: ReturnType<typeof validateFlows>) => Object.keys(result.flows.billing ?? {})
const messages = (result: ReturnType<typeof validateFlows>) => result.errors.map((e) => e.message)

describe('a vendor with all three billing prompts gets a mistake in one of them', () => {
  test('an annual offer for an unknown checklist is skipped; the payment prompt and renewal reminders still run', () => {
    const result = validateFlows({ billing: { paymentPrompt, renewalReminders, annualOffer: { ...annualOffer, audience: { checklist: 'nope', status: 'completed' } } } })
    expect(messages(result)).toEqual(['billing.annualOffer.audience.checklist: names unknown checklist "nope"'])
    expect(prompts(result)).toEqual(['paymentPrompt', 'renewalReminders'])
  })

  test('a grace period written as "7" skips the payment prompt only', () => {
    const result = validateFlows({ billing: { paymentPrompt: { ...paymentPrompt, wallAfterDays: '7' }, renewalReminders, annualOffer } })
    expect(messages(result)).toEqual(['billing.paymentPrompt.wallAfterDays: expected a number, got "7"'])
    expect(prompts(result)).toEqual(['renewalReminders', 'annualOffer'])
    expect(result.flows.billing?.renewalReminders?.days).toEqual([7, 3, 2])
  })

  test('a misspelt prompt is named with the one it resembles; the others run', () => {
    const result = validateFlows({ billing: { paymentPromt: paymentPrompt, renewalReminders, upsell: {} } })
    expect(messages(result)).toEqual(['billing.paymentPromt: is not a known field; did you mean `paymentPrompt`?', 'billing.upsell: is not a known field; ignored'])
    expect(prompts(result)).toEqual(['renewalReminders'])
  })

  test('billing that is not an object is reported', () => {
    const result = validateFlows({ billing: [paymentPrompt] })
    expect(messages(result)).toEqual(['billing: expected an object, got an array'])
    expect(result.flows.billing).toBeUndefined()
  })
})

describe('billing prompt ids share the namespace of show(id) and why(id)', () => {
  test('renewal reminders with the id of a checklist are reported and dropped; the checklist and the other prompts run', () => {
    const result = validateFlows({ checklists: [{ ...checklist, id: 'renewal' }], billing: { paymentPrompt, renewalReminders } })
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'billing.renewalReminders.id', rule: 'duplicate_id', message: 'billing.renewalReminders.id: duplicate id "renewal", already used by checklists[0]' }),
    ])
    expect(result.flows.checklists.map((c) => c.id)).toEqual(['renewal'])
    expect(prompts(result)).toEqual(['paymentPrompt'])
  })

  test('two prompts with one id: the second is dropped', () => {
    const result = validateFlows({ billing: { paymentPrompt, renewalReminders: { ...renewalReminders, id: 'card-failed' } } })
    expect(messages(result)).toEqual(['billing.renewalReminders.id: duplicate id "card-failed", already used by billing.paymentPrompt'])
    expect(prompts(result)).toEqual(['paymentPrompt'])
  })
})

describe('a payment prompt for the people who can pay (audience)', () => {
  test('an admins-only payment prompt runs with its audience', () => {
    const result = validateFlows({ billing: { paymentPrompt: { ...paymentPrompt, audience: { trait: 'role', eq: 'admin' } } } })
    expect(result.errors).toEqual([])
    expect(result.flows.billing?.paymentPrompt?.audience).toEqual({ trait: 'role', eq: 'admin' })
  })

  test('an audience naming an unknown checklist skips the payment prompt only', () => {
    const result = validateFlows({ billing: { paymentPrompt: { ...paymentPrompt, audience: { checklist: 'nope', status: 'completed' } }, renewalReminders } })
    expect(messages(result)).toEqual(['billing.paymentPrompt.audience.checklist: names unknown checklist "nope"'])
    expect(prompts(result)).toEqual(['renewalReminders'])
  })
})

describe('renewal reminders for the people who can act on them (audience)', () => {
  test('an admins-only renewal reminder runs with its audience', () => {
    const result = validateFlows({ billing: { renewalReminders: { ...renewalReminders, audience: { trait: 'role', eq: 'admin' } } } })
    expect(result.errors).toEqual([])
    expect(result.flows.billing?.renewalReminders?.audience).toEqual({ trait: 'role', eq: 'admin' })
  })

  test('an audience naming an unknown checklist skips the renewal reminders only', () => {
    const result = validateFlows({ billing: { paymentPrompt, renewalReminders: { ...renewalReminders, audience: { checklist: 'nope', status: 'completed' } } } })
    expect(messages(result)).toEqual(['billing.renewalReminders.audience.checklist: names unknown checklist "nope"'])
    expect(prompts(result)).toEqual(['paymentPrompt'])
  })
})
