import type * as z from 'zod/mini'
import type { Rule } from '../rule'
import { configError, describe, type ConfigError, type Path } from './format-error'
import { withPlainPrototypes } from './plain-prototypes'
import {
  announcementSchema, badgeSchema, billingPromptSchemas, billingShellSchema, cancelFlowShellSchema, cancelReasonSchema, checklistSchema, DEFAULT_SETTINGS, levelSchema, offerSchema,
  settingsShape, surveySchema, tourSchema, valueReviewSchema,
  type Billing, type BillingPrompt, type CancelFlow, type Flows, type Offer, type Settings, type Tour,
} from './flows-schema'
import { nearMiss, unknownKey } from './near-miss'
import { parseExperience, parseFields } from './parse-value'
import { isObject, toPlain } from './plain-json'
import { LISTS, SECTIONS } from './count-skipped'

export type { ConfigError }

export interface FlowsValidation {
  /** Only the valid experiences; always a complete document, empty lists when nothing is valid. */
  flows: Flows
  /** Every problem found, in document order. Errors whose message ends in "ignored" or
   * "using the default …" did not drop anything. */
  errors: ConfigError[]
}

/** More than this many experiences of one kind is a broken export, not a config. */
export const MAX_PER_KIND = 200

const KINDS = LISTS

interface Entry<T> {
  value: T
  path: Path
}

/** Ids declared per kind, each with the `kind` it was given (what a survey rule's category can be). */
type Declared = Map<string, Map<string, unknown>>

/**
 * Validates a flows document (docs/architecture.md, "Flows config") without ever throwing: each experience
 * is checked on its own, so an invalid one is reported with its path and skipped while the valid
 * ones run. Then references between experiences are checked. The input is never modified.
 */
export function validateFlows(input: unknown): FlowsValidation {
  const errors: ConfigError[] = []
  const steps = validating(input, errors)
  const flows = settled(errors, () => {
    let step = steps.next()
    while (!step.done) step = steps.next()
    return step.value
  })
  return { flows: flows!, errors }
}

/** How long one slice of validation may hold the page, in ms. */
export const SLICE_MS = 4

/**
 * The same validation, spread over tasks: a slice ends after the experience that took it past
 * `sliceMs`, and the next one starts after `pause()`, so a first visit's validation never
 * blocks the page in one long piece. Only for an input no one else holds (a parsed copy): the
 * host page's code runs between slices.
 */
export async function validateFlowsInSlices(input: unknown, pause: () => Promise<void>, now: () => number, sliceMs = SLICE_MS): Promise<FlowsValidation> {
  const errors: ConfigError[] = []
  const steps = validating(input, errors)
  let flows: Flows | undefined
  while (
    !(flows = settled(errors, () => {
      const until = now() + sliceMs
      let step = steps.next()
      while (!step.done && now() < until) step = steps.next()
      return step.done ? step.value : undefined
    }))
  )
    await pause()
  return { flows, errors }
}

/**
 * Runs validation's steps with what a host page added to the prototypes hidden from zod (a slice
 * at a time: no host code runs inside one). Never throws.
 */
function settled(errors: ConfigError[], run: () => Flows | undefined): Flows | undefined {
  try {
    return withPlainPrototypes(run)
  } catch {
    // Only a hostile input (a proxy or getter throwing on the top level) gets here.
    errors.push(configError([], 'flows could not be read as plain data', 'unreadable'))
    return emptyFlows()
  }
}

const emptyFlows = (): Flows => ({ settings: { ...DEFAULT_SETTINGS }, checklists: [], tours: [], badges: [], levels: [], surveys: [] })

/** Validation as steps: it pauses (yields) after each experience it read. */
function* validating(input: unknown, errors: ConfigError[]): Generator<void, Flows> {
  if (!isObject(input)) {
    errors.push(configError([], `flows must be a JSON object, got ${describe(input)}`, 'invalid_type'))
    return emptyFlows()
  }
  for (const key of Object.keys(input)) {
    if (SECTIONS.includes(key)) continue
    // A misspelt section (`anouncements`) holds experiences nobody will see: said so, not "ignored".
    const meant = nearMiss(key, SECTIONS, input)
    errors.push(configError([key], meant ? `is not a known section; did you mean \`${meant}\`? Nothing in it runs` : 'is not a known section; ignored', 'unknown_key'))
  }
  if (input.version !== undefined && input.version !== 1) {
    errors.push(configError(['version'], `expected 1, got ${describe(input.version)}; read as version 1`, 'invalid_value'))
  }
  const settings = readSettings(input.settings, errors)
  yield
  const declared: Declared = new Map()
  const read = <T>(kind: (typeof KINDS)[number], schema: () => z.ZodMiniType<T>) => readList(input, kind, schema, declared, errors)
  let checklists = yield* read('checklists', checklistSchema)
  let tours = yield* read('tours', tourSchema)
  let badges = yield* read('badges', badgeSchema)
  let levels = yield* read('levels', levelSchema)
  let surveys = yield* read('surveys', surveySchema)
  let valueReviews = yield* read('valueReviews', valueReviewSchema)
  let announcements = yield* read('announcements', announcementSchema)
  let billing = input.billing === undefined ? [] : readBilling(input.billing, declared, errors)
  yield
  let cancelFlow = input.cancelFlow === undefined ? undefined : readCancelFlow(input.cancelFlow, declared, errors)
  yield

  // show(id) and why(id) name experiences across kinds, so their ids share one namespace.
  const experienceIds = new Map<string, Path>()
  checklists = unique(checklists, experienceIds, errors)
  tours = unique(tours, experienceIds, errors)
  surveys = unique(surveys, experienceIds, errors)
  valueReviews = unique(valueReviews, experienceIds, errors)
  if (cancelFlow) cancelFlow = unique([cancelFlow], experienceIds, errors)[0]
  announcements = unique(announcements, experienceIds, errors)
  billing = unique(billing, experienceIds, errors)
  // A pause offer's id also opens that pause on its own (show(id)): reported, and kept in the
  // flow, where it works as written.
  unique(cancelFlow?.offers.filter((o) => o.value.kind === 'pause') ?? [], experienceIds, errors)
  badges = unique(badges, new Map(), errors)
  // A level is known by its name (the level reached, Level Reached and its once-ever grant): a
  // second of one name was that level reached again, its toast shown twice and its event kept once.
  const names = new Map<string, Path>()
  levels = levels.filter(({ value, path }) => {
    const first = names.get(value.name)
    if (first) errors.push(configError([...path, 'name'], `duplicate level name "${value.name}", already used by ${formatFirst(first)}`, 'duplicate_id'))
    else names.set(value.name, path)
    return !first
  })

  // What a rule names must run: one skipped (invalid, or a duplicate id) still has its id declared.
  const running = { checklist: checklists, badge: badges, survey: surveys }
  const refsOk = (rule: Rule | undefined, path: Path) => checkRuleRefs(rule, path, declared, running, errors)
  const audienceOk = ({ value, path }: Entry<{ audience?: Rule }>) => refsOk(value.audience, [...path, 'audience'])
  checklists = checklists.filter((e) =>
    [audienceOk(e), idsUnique(e.value.tasks, [...e.path, 'tasks'], errors), ...e.value.tasks.map((t, i) => refsOk(t.doneWhen, [...e.path, 'tasks', i, 'doneWhen']))].every(Boolean),
  )
  tours = tours.filter((e) => [audienceOk(e), idsUnique(e.value.steps, [...e.path, 'steps'], errors), clickStepsHaveTargets(e.value, e.path, errors)].every(Boolean))
  surveys = surveys.filter(audienceOk)
  valueReviews = valueReviews.filter(audienceOk)
  badges = badges.filter(({ value, path }) => refsOk(value.rule, [...path, 'rule']))
  announcements = announcements.filter(audienceOk)
  billing = billing.filter(audienceOk)
  if (cancelFlow && !audienceOk(cancelFlow)) cancelFlow = undefined

  // Links to a missing tour or badge are dropped, not fatal: the task still completes by itself.
  const tourIds = new Set(tours.map((t) => t.value.id))
  const badgeIds = new Set(badges.map((b) => b.value.id))
  for (const { value, path } of checklists) {
    value.tasks.forEach((task, i) => {
      if (task.tour !== undefined && !tourIds.has(task.tour)) {
        errors.push(missing([...path, 'tasks', i, 'tour'], 'tour', task.tour, declared, 'the task has no tour'))
        delete task.tour
      }
    })
    const badge = value.reward?.badge
    if (value.reward && badge !== undefined && !badgeIds.has(badge)) {
      errors.push(missing([...path, 'reward', 'badge'], 'badge', badge, declared, 'no badge is granted'))
      delete value.reward.badge
    }
  }

  return {
    settings,
    checklists: checklists.map((e) => e.value),
    tours: tours.map((e) => e.value),
    badges: badges.map((e) => e.value),
    levels: levels.map((e) => e.value),
    surveys: surveys.map((e) => e.value),
    ...(valueReviews.length && { valueReviews: valueReviews.map((e) => e.value) }),
    ...(cancelFlow && { cancelFlow: cancelFlow.value }),
    ...(announcements.length && { announcements: announcements.map((e) => e.value) }),
    ...(billing.length && { billing: Object.fromEntries(billing.map((e) => [e.path[1], e.value])) as Billing }),
  }
}

function readSettings(raw: unknown, errors: ConfigError[]): Settings {
  const plain = toPlain(raw)
  if (raw === undefined || !plain.ok || !isObject(plain.value)) {
    if (raw !== undefined) {
      const reason = plain.ok ? `expected an object, got ${describe(raw)}` : plain.reason
      errors.push(configError(['settings'], `${reason}; using the defaults`, plain.ok ? 'invalid_type' : 'too_large'))
    }
    return { ...DEFAULT_SETTINGS }
  }
  return parseFields(settingsShape, plain.value, ['settings'], errors).value as Settings
}

/** Copies and parses one experience, recording its id as declared even when it is invalid. */
function readOne<T>(raw: unknown, path: Path, kind: string, schema: z.ZodMiniType<T>, declared: Declared, errors: ConfigError[]): T | undefined {
  const plain = toPlain(raw)
  if (!plain.ok) {
    errors.push(configError(path, plain.reason, 'too_large'))
    return
  }
  const ids = declared.get(kind) ?? new Map()
  declared.set(kind, ids)
  // The first of an id is the one kept (unique() below).
  if (isObject(plain.value) && typeof plain.value.id === 'string' && !ids.has(plain.value.id)) ids.set(plain.value.id, plain.value.kind)
  return parseExperience(schema, plain.value, path, errors)
}

function* readList<T>(doc: Record<string, unknown>, kind: string, schema: () => z.ZodMiniType<T>, declared: Declared, errors: ConfigError[]): Generator<void, Entry<T>[]> {
  const raw = doc[kind]
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    errors.push(configError([kind], `expected an array, got ${describe(raw)}`, 'invalid_type'))
    return []
  }
  if (raw.length > MAX_PER_KIND) {
    errors.push(configError([kind], `has ${raw.length} items; only the first ${MAX_PER_KIND} are used`, 'too_big'))
  }
  const out: Entry<T>[] = []
  for (let i = 0; i < Math.min(raw.length, MAX_PER_KIND); i++) {
    out.push(...entry(readOne(raw[i], [kind, i], kind, schema(), declared, errors), [kind, i]))
    yield
  }
  return out
}

/**
 * The cancel flow is one experience whose reasons and offers are checked one by one: a bad
 * reason is dropped, a bad offer leaves the reasons naming it offering nothing, and with no valid
 * reason left the whole flow is dropped so the host's own cancel proceeds untouched.
 */
function readCancelFlow(raw: unknown, declared: Declared, errors: ConfigError[]): (Entry<CancelFlow> & { offers: Entry<Offer>[] }) | undefined {
  const path = ['cancelFlow']
  const shell = readOne(raw, path, 'cancelFlow', cancelFlowShellSchema(), declared, errors)
  if (!shell) return
  const parsed = <T>(list: unknown[], key: string, schema: z.ZodMiniType<T>) =>
    list.flatMap((raw, i) => entry(readOne(raw, [...path, key, i], key, schema, declared, errors), [...path, key, i]))
  const parsedReasons = parsed(shell.reasons, 'reasons', cancelReasonSchema())
  const offers = unique(parsed(shell.offers, 'offers', offerSchema()), new Map(), errors)
  const offerIds = new Set(offers.map((o) => o.value.id))
  // A reason whose offer is bad still runs, offering nothing: left out, its users would have to
  // pick a reason that is not theirs, and the churn reasons the vendor reads would be untrue.
  const reasons = unique(parsedReasons, new Map(), errors).map((r) => {
    if (r.value.offer === undefined || offerIds.has(r.value.offer)) return r
    errors.push(missing([...r.path, 'offer'], 'offer', r.value.offer, declared, 'this reason offers nothing'))
    return { ...r, value: { ...r.value, offer: undefined } }
  })
  if (!reasons.length) {
    errors.push(configError(path, 'has no valid reason left; the cancel flow is off and the host cancels as usual', 'empty'))
    return
  }
  return { value: { ...shell, reasons: reasons.map((r) => r.value), offers: offers.map((o) => o.value) }, path, offers }
}

/** Billing's prompts are checked one by one too: a bad one is skipped, the others run. */
function readBilling(raw: unknown, declared: Declared, errors: ConfigError[]): Entry<BillingPrompt>[] {
  const shell = readOne(raw, ['billing'], 'billing', billingShellSchema, declared, errors)
  if (!shell) return []
  const schemas = billingPromptSchemas()
  const prompts = Object.keys(schemas) as (keyof typeof schemas)[]
  for (const key of Object.keys(shell)) {
    if (prompts.includes(key as never)) continue
    const meant = nearMiss(key, prompts, shell)
    errors.push(configError(['billing', key], unknownKey(meant) + (meant ? '' : '; ignored'), 'unknown_key'))
  }
  return prompts.flatMap((key) =>
    shell[key] === undefined ? [] : entry(readOne(shell[key], ['billing', key], 'billing', schemas[key] as z.ZodMiniType<BillingPrompt>, declared, errors), ['billing', key]),
  )
}

const entry = <T>(value: T | undefined, path: Path): Entry<T>[] => (value === undefined ? [] : [{ value, path }])

function missing(path: Path, kind: string, id: string, declared: Declared, consequence?: string): ConfigError {
  const known = declared.get(`${kind}s`)?.has(id)
  const why = known ? `names ${kind} "${id}", which is invalid (see its own error)` : `names unknown ${kind} "${id}"`
  return configError(path, consequence ? `${why}; ${consequence}` : why, 'unknown_reference')
}

/** Keeps the first of each id; later ones are reported and dropped. */
function unique<E extends Entry<{ id: string }>>(entries: E[], seen: Map<string, Path>, errors: ConfigError[]): E[] {
  return entries.filter(({ value, path }) => {
    const first = seen.get(value.id)
    if (first) errors.push(configError([...path, 'id'], `duplicate id "${value.id}", already used by ${formatFirst(first)}`, 'duplicate_id'))
    else seen.set(value.id, path)
    return !first
  })
}

const formatFirst = (path: Path) => configError(path, '').path

/** Task and step ids key progress state and events, so they must be unique within their list. */
function idsUnique(items: readonly { id?: string }[], path: Path, errors: ConfigError[]): boolean {
  const seen = new Set<string>()
  return items.map((item, i) => {
    if (item.id === undefined) return true
    if (!seen.has(item.id)) return Boolean(seen.add(item.id))
    errors.push(configError([...path, i, 'id'], `duplicate id "${item.id}"`, 'duplicate_id'))
    return false
  }).every(Boolean)
}

/** A step that clicks or marks something needs something to click or mark. */
function clickStepsHaveTargets(tour: Tour, path: Path, errors: ConfigError[]): boolean {
  let ok = true
  tour.steps.forEach((step, i) => {
    if (step.target !== undefined) return
    if (step.advance === 'click') errors.push(configError([...path, 'steps', i, 'advance'], '"click" needs a target to click', 'missing_target'))
    if (step.beacon) errors.push(configError([...path, 'steps', i, 'beacon'], 'a beacon marks a target: this step has none', 'missing_target'))
    ok &&= step.advance !== 'click' && !step.beacon
  })
  return ok
}

const REFERENCE_KEYS = ['checklist', 'badge', 'survey'] as const

/**
 * A rule naming an experience that is not in the document would silently never (or always)
 * match: it skips the experience using it. One that is in the document but skipped is reported
 * where it is named too (a task that can never be done), and read as never started, earned or
 * answered, as it is.
 */
function checkRuleRefs(rule: Rule | undefined, path: Path, declared: Declared, running: Record<string, Entry<{ id: string }>[]>, errors: ConfigError[]): boolean {
  let ok = true
  const visit = (node: Rule, at: Path): void => {
    if ('all' in node) node.all.forEach((child, i) => visit(child, [...at, 'all', i]))
    else if ('any' in node) node.any.forEach((child, i) => visit(child, [...at, 'any', i]))
    else if ('not' in node) visit(node.not, [...at, 'not'])
    else {
      for (const key of REFERENCE_KEYS) {
        const id = (node as Record<string, unknown>)[key]
        if (typeof id !== 'string' || running[key].some((e) => e.value.id === id)) continue
        ok &&= !!declared.get(`${key}s`)?.has(id)
        errors.push(missing([...at, key], key, id, declared))
      }
      const wrong = 'category' in node && node.category !== undefined && wrongCategory(node.category, declared.get('surveys')?.get(node.survey))
      if (wrong) {
        ok = false
        errors.push(configError([...at, 'category'], wrong, 'unknown_reference'))
      }
    }
  }
  if (rule) visit(rule, path)
  return ok
}

/** The categories each survey kind records (scores.ts); choice and text surveys record none. */
const CATEGORIES: Record<string, readonly string[]> = {
  nps: ['detractor', 'passive', 'promoter'],
  csat: ['dissatisfied', 'neutral', 'satisfied'],
  ces: ['dissatisfied', 'neutral', 'satisfied'],
  choice: [],
  text: [],
}

/** Why a rule's category can never match an answer to a survey of `kind`, or '' (an unknown kind has its own error). */
function wrongCategory(category: string, kind: unknown): string {
  const given = typeof kind === 'string' && Object.hasOwn(CATEGORIES, kind) ? CATEGORIES[kind] : undefined
  if (!given || given.includes(category)) return ''
  const says = given.length ? `records ${given.join(', ')}` : 'records no category'
  return `"${category}" can never match: a ${kind} survey ${says}`
}
