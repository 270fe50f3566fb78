import { describe, expect, test } from 'vitest'
import { countSkipped } from './count-skipped'
import { validateFlows } from './validate-flows'

const checklist = { id: 'getting-started', title: 'Start', tasks: [{ id: 'create', title: 'Create a project', doneWhen: { event: 'Project Created' } }] }
const banner = { id: 'bulk-export', format: 'banner', title: 'Export many invoices at once' }
const paymentPrompt = { id: 'card-failed', title: 'Your last payment failed', action: 'Update card' }
const renewalReminders = { id: 'renewal', title: 'Your plan renews soon', action: 'Check card' }

/** What the production console line counts for a document, after validating it as the runtime does. */
const counted = (raw: unknown) => countSkipped(raw, validateFlows(raw).flows)

describe('the production console line hears of every kind of broken flows', () => {
  test('a broken announcement is counted', () => {
    expect(counted({ checklists: [checklist], announcements: [banner, { ...banner, id: 'v3', format: 'popup' }] })).toEqual({ skipped: 1, total: 3 })
  })

  test('each billing prompt is counted on its own', () => {
    expect(counted({ billing: { paymentPrompt: { ...paymentPrompt, wallAfterDays: '7' }, renewalReminders } })).toEqual({ skipped: 1, total: 2 })
    expect(counted({ billing: { paymentPrompt, renewalReminders } })).toEqual({ skipped: 0, total: 2 })
  })

  test('billing that is not an object is a skipped experience', () => {
    expect(counted({ checklists: [checklist], billing: 'on' })).toEqual({ skipped: 1, total: 2 })
  })

  test('a list written as an object is a skipped experience', () => {
    expect(counted({ checklists: { 'getting-started': checklist }, announcements: [banner] })).toEqual({ skipped: 1, total: 2 })
  })

  test('a document that is not an object is one skipped; no document at all is nothing', () => {
    expect(counted([checklist])).toEqual({ skipped: 1, total: 1 })
    expect(counted(null)).toEqual({ skipped: 1, total: 1 })
    expect(countSkipped(undefined, validateFlows({}).flows)).toEqual({ skipped: 0, total: 0 })
  })

  test('each experience in a section the runtime does not know (a misspelt one) counts as skipped; notes beside the experiences do not', () => {
    expect(counted({ checklists: [checklist], announcement: [banner, banner], billng: { paymentPrompt }, extras: [checklist], notes: ['draft'], $comment: { by: 'ana' } })).toEqual({ skipped: 4, total: 5 })
  })

  test('a document wrapped in an envelope, as an API answers (`{ "data": { … } }`), counts every experience in it as skipped', () => {
    expect(counted({ data: { version: 1, checklists: [checklist], announcements: [banner, { ...banner, id: 'v3' }], billing: { paymentPrompt } } })).toEqual({ skipped: 3, total: 3 })
  })

  test('a valid document counts nothing skipped', () => {
    expect(counted({ checklists: [checklist], announcements: [banner], billing: { paymentPrompt } })).toEqual({ skipped: 0, total: 3 })
  })
})
