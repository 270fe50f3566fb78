import { describe, expect, it } from 'vitest'
import { vendorTypecheck as typecheck } from '../../../test/vendor-typecheck'

// Runs on the built packages (their dist/types), as a vendor's project installs them.
// Real types, not `any`: a wrong call is an error (an unused @ts-expect-error would be one too).
const VENDOR_CODE = `import { createLinger } from '@linger/sdk'
import { mountWidgets } from '@linger/widgets'
const linger = createLinger({ key: 'pk_live' })
linger.track('Report Exported', { format: 'csv' })
mountWidgets(linger)
// @ts-expect-error an event's name is text
linger.track(42)
`

// The README's init options, kept in a typed object as a vendor's config module does.
const OPTIONS_CODE = `import { createLinger, type FlowsInput, type LingerOptions } from '@linger/sdk'
const options: LingerOptions = { key: 'pk_live', endpoint: 'https://collect.example.com', flows: '/flows.json' }
createLinger(options)
// @ts-expect-error the batch interval is a number of milliseconds
const slow: LingerOptions = { key: 'pk_live', flushIntervalMs: '2s' }
// @ts-expect-error the key is required
const keyless: LingerOptions = { endpoint: 'https://collect.example.com' }
// @ts-expect-error a misspelt option is caught, not silently left at its default
createLinger({ key: 'pk_live', flushIntervalMS: 500 })
// A typed flows document (the vendor's own interface) is a flows option.
interface MyFlows { version: number; surveys: Array<{ id: string }> }
const flows: MyFlows = { version: 1, surveys: [] }
createLinger({ key: 'pk_live', flows, handlers: { onCancel: () => {} } })
// Or written against Linger's own type, which leaves out what has a default (settings, the other kinds).
const typed: FlowsInput = { version: 1, surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Dashboard Viewed' } }] }
createLinger({ key: 'pk_live', flows: typed })
// @ts-expect-error a survey's kind is nps, csat, ces, poll or text: "rating" is caught before it ships
const rating: FlowsInput = { surveys: [{ id: 'r', kind: 'rating', question: 'Rate us' }] }
// @ts-expect-error a misspelt kind of experience ("survey") is caught, not left out of the product
const misspelt: FlowsInput = { survey: [] }
// The vendor's own types for what it tracks: an interface has no index signature.
interface ExportProps { rows: number; format: 'csv' | 'pdf' }
const exported: ExportProps = { rows: 120, format: 'csv' }
const linger = createLinger(options)
linger.track('Report Exported', exported)
linger.identify('u_42', exported)
linger.page('Reports', exported)
linger.page({ plan: 'pro' })
linger.group('acme', exported)
// @ts-expect-error properties are an object, not a string
linger.track('Report Exported', 'csv')
// @ts-expect-error a handler is a function
linger.cancel({ onCancel: 'close' })
// Linger's own events reach a listener typed, as the README's table of events says them.
linger.on('survey:answered', (p) => {
  const score: number | undefined = p.score
  return [p.surveyId.toUpperCase(), p.responseId, score]
})
linger.on('cancel:flow-completed', (p) => p.outcome === 'saved' && p.offerKind === 'discount')
linger.on('error', (e) => e.code.toUpperCase())
// The host's own events: their properties as a record.
linger.on('report:exported', (p) => p.rows)
// @ts-expect-error a survey's answer is its "score"; there is no "rating"
linger.on('survey:answered', (p) => p.rating)
// @ts-expect-error a flow's outcome is one of five, and "churned" is none
linger.on('cancel:flow-completed', (p) => p.outcome === 'churned')
// @ts-expect-error a misspelt Linger event ("survey:answered") is caught, not a listener that never hears
linger.on('survey:answerd', (p) => p.score)
// A name only known at run time is still taken.
const heard: string = 'report:exported'
linger.off(heard, () => {})
// The vendor's own event in the family of one of Linger's experiences ("tour:") joins LingerEvents, typed.
linger.on('tour:replayed', (p) => p.tourId.toUpperCase())
// The vendor's own billing and feature events are its own: a record, as any other.
linger.on('plan:changed', (p) => p.plan)
linger.on('payment:failed', (p) => p.amount)
linger.off('feature:flag-toggled', () => {})
// An error's code is one of the README's: a misspelt one is caught where the vendor switches on it.
linger.on('error', (e) => {
  switch (e.code) {
    case 'sync-refused':
      return 'progress stays on this device'
    // @ts-expect-error the code is "flows-unavailable"
    case 'flows-unreachable':
      return 'no flows'
  }
})
declare module '@linger/sdk' {
  interface LingerEvents {
    'Tour Replayed': { tourId: string }
  }
}
// A pause without onPause comes to onOfferAccepted with the user's months and its resume day.
linger.cancel({ onOfferAccepted: (offer, _reason, { runId }) => [offer.months, offer.resumesAt?.slice(0, 10), runId] })
// @ts-expect-error a theme's accent colour is "accent"
mountWidgets(linger, { theme: { acent: '#0a0' } })
`

describe("the types a vendor's compiler reads from the packages", () => {
  it('check in a Node ESM project (moduleResolution NodeNext), with the calls typed', () => {
    expect(typecheck(VENDOR_CODE, { module: 'NodeNext', moduleResolution: 'NodeNext' })).toBe('')
  }, 60_000)

  it('check in a Node ESM project that checks libraries too (skipLibCheck off): our declarations have no errors of their own', () => {
    expect(typecheck(VENDOR_CODE, { module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: false })).toBe('')
  }, 60_000)

  it('check in a project with stricter flags than ours (noUncheckedIndexedAccess, exactOptionalPropertyTypes)', () => {
    expect(typecheck(VENDOR_CODE, { module: 'ESNext', moduleResolution: 'Bundler', noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true })).toBe('')
  }, 60_000)

  it('check in a project with the strict flags and library checks together (exactOptionalPropertyTypes, skipLibCheck off)', () => {
    expect(typecheck(VENDOR_CODE, { module: 'NodeNext', moduleResolution: 'NodeNext', exactOptionalPropertyTypes: true, skipLibCheck: false })).toBe('')
  }, 60_000)

  it("hand a listener what the event always carries (the offer taken, the task ticked) as a string a vendor's server can look up, with no undefined to rule out", () => {
    // A save-offer listener as a vendor writes it: the offer and reason are there on every take.
    const code = `import { createLinger } from '@linger/sdk'
const linger = createLinger({ key: 'pk_live' })
const lookUp = (offerId: string, reasonId: string, variant: 'offer' | 'holdout') => [offerId, reasonId, variant]
linger.on('cancel:offer-accepted', (p) => lookUp(p.offerId, p.reasonId, p.variant))
linger.on('cancel:offer-shown', (p) => lookUp(p.offerId, p.reasonId, p.variant))
linger.on('cancel:reason-selected', (p) => p.reasonId.toUpperCase())
linger.on('cancel:flow-completed', (p) => p.outcome.toUpperCase())
// Taking a contact offer is sent too (then the flow ends as contacted): the kind tells them apart.
linger.on('cancel:offer-accepted', (p) => (p.offerKind === 'contact' ? 'talk' : p.offerKind.toUpperCase()))
// @ts-expect-error a flow is run with the offer or in the holdout: there is no third group
linger.on('cancel:offer-shown', (p) => p.variant === 'control')
// A ticked task is named on every Checklist Task Completed (a list's own completion has none).
linger.on('checklist:task-completed', (p) => p.taskId.toUpperCase())
// A flow may start and end without a reason (closed at once): those stay optional.
// @ts-expect-error no reason was chosen yet when a flow starts
linger.on('cancel:flow-started', (p) => p.reasonId.toUpperCase())
`
    expect(typecheck(code, { module: 'NodeNext', moduleResolution: 'NodeNext', exactOptionalPropertyTypes: true })).toBe('')
  }, 60_000)

  it('take init options with only the key required, as the README lists them (the rest have defaults)', () => {
    expect(typecheck(OPTIONS_CODE, { module: 'NodeNext', moduleResolution: 'NodeNext', exactOptionalPropertyTypes: true })).toBe('')
  }, 60_000)
})
