// Renders docs/flows-reference.md from the flows JSON Schema, so the field reference a vendor
// reads is the schema the SDK validates with. Types, limits, defaults and required-ness come
// from the schema; only the one-line meanings are written here. scripts/flows-reference.test.ts
// fails when a field has no meaning written or when the committed page is stale.

type Node = Record<string, any>

/** One line per field: what it does for the vendor, in their words. Keys are schema paths. */
export const MEANINGS: Record<string, string> = {
  $schema: 'Path or URL of `flows.schema.json` (`npm run schema`), for completion in editors. Ignored by the SDK.',
  $checked: 'Written by `npm run flows:check`, never by hand: the validator that passed the document and the digests of the rest of it. While they match, a first visit skips validation (and its chunk); after an edit the document is validated as usual.',
  version: 'The format version. Only `1` exists; other values are read as 1 with a warning.',
  settings: 'Install-wide settings.',
  'settings.leaderboard': '`true`: the badges shelf shows the points of the user\'s account (group) ranked, for users identified with a `userHash`. Names are the `displayName` trait only; the `leaderboardOptOut` trait (user or group) or the shelf\'s switch leaves it.',
  'settings.cooldownDays': 'Days between two blocking experiences (tours, surveys) for one user. `0` turns the cooldown off.',
  'settings.locale': 'Language of the widgets\' own words (buttons, counts): a tag such as `de` or `pt-BR`, or `auto` for the page\'s `<html lang>` when it is not English, else the browser\'s.',
  checklists: 'Onboarding checklists. Tasks tick themselves from tracked events, including ones tracked before the list first showed.',
  'checklists[].id': 'Unique id, shared namespace with every other experience and the pause offers of the cancel flow (`show(id)`, `why(id)`, event properties).',
  'checklists[].title': 'Heading of the checklist panel.',
  'checklists[].description': 'A line under the heading.',
  'checklists[].audience': 'Who sees the checklist (a [rule](#rules)). Without one, everybody.',
  'checklists[].tasks': 'The tasks, in display order.',
  'checklists[].tasks[].id': 'Unique within the checklist; sent as `taskId`.',
  'checklists[].tasks[].title': 'What to do, as the user reads it.',
  'checklists[].tasks[].description': 'A hint shown under the title until the task is done.',
  'checklists[].tasks[].doneWhen': 'When the task counts as done (a [rule](#rules)), e.g. `{ "event": "Task Created", "count": { "gte": 3 } }`.',
  'checklists[].tasks[].cta': 'A button on the task that takes the user where the task is done.',
  'checklists[].tasks[].cta.label': 'The button\'s text.',
  'checklists[].tasks[].cta.url': 'Where it goes: an http(s) or relative URL (`#/projects/new`). Other schemes are refused.',
  'checklists[].tasks[].tour': 'Id of a tour the task\'s button starts instead of a link ("Show me").',
  'checklists[].tasks[].points': 'Points granted once when the task is done.',
  'checklists[].reward': 'Granted once when every task is done.',
  'checklists[].reward.points': 'Points for finishing the list.',
  'checklists[].reward.badge': 'Id of a badge granted for finishing the list.',
  'checklists[].dismissible': 'Whether the user may hide the checklist for good (`Checklist Dismissed`).',
  'checklists[].priority': 'Higher shows first when several experiences are eligible at once (default 0).',
  tours: 'Product tours: tooltips anchored to the host\'s elements, or a single hotspot (`beacon`).',
  'tours[].id': 'Unique id (shared namespace with every other experience and the pause offers of the cancel flow).',
  'tours[].trigger': 'What starts the tour: `{ "event": "Dashboard Viewed", "count"?: { "gte": 2 } }` or `{ "url": "#/settings*" }` (a glob on the page URL). Without a trigger the tour starts only from `show(id)` or a checklist task.',
  'tours[].audience': 'Who may see the tour (a [rule](#rules)).',
  'tours[].steps': 'The steps, in order.',
  'tours[].steps[].id': 'Optional step id, sent as `stepId`.',
  'tours[].steps[].target': 'CSS selector of the element the step points at. Without one the step shows centred.',
  'tours[].steps[].title': 'The step\'s heading.',
  'tours[].steps[].body': 'The step\'s text.',
  'tours[].steps[].placement': 'Preferred side of the target; the tooltip flips and shifts to stay on screen.',
  'tours[].steps[].advance': '`next`: a Next button; `click`: the step waits for the user to click the target (no Next or Done, so it is never passed without the click; Tab from the tip reaches the target).',
  'tours[].steps[].waitMs': 'How long to wait for a target that is not on the page yet.',
  'tours[].steps[].onMissing': 'When the target never appears: `skip` the step, `end` the tour, or show it `center`d.',
  'tours[].steps[].beacon': 'A pulsing hotspot on the target instead of a tooltip; the tip opens on click and never blocks. Its Tour Started (and Step Viewed) come when the user opens it, or clicks its target.',
  'tours[].steps[].spotlight': 'Dims the page around the target.',
  'tours[].steps[].url': 'The page (glob) the step lives on; elsewhere the tour waits.',
  'tours[].repeat': 'How often the tour may show again ([repeat](#repeat)).',
  'tours[].priority': 'Higher shows first when several blocking experiences are eligible (default 0).',
  badges: 'Badges granted once each from usage.',
  'badges[].id': 'Unique among badges; sent as `badgeId`.',
  'badges[].title': 'The badge\'s name.',
  'badges[].description': 'What it was earned for.',
  'badges[].icon': 'A built-in icon (`trophy`, `medal`, `star`, `rocket`, `chart`, `flame`, `compass`, `bolt`), an emoji, or an image: an http(s) URL or a path on your own site (`/static/badge.svg`).',
  'badges[].points': 'Points granted with the badge.',
  'badges[].rule': 'When the badge is earned (a [rule](#rules), including the badge-only forms `streakDays`, `distinctFeatures`, `points`).',
  levels: 'Levels by points; the highest level whose `points` the user has reached is theirs (`Level Reached`).',
  'levels[].name': 'The level\'s name.',
  'levels[].points': 'Points needed.',
  'levels[].icon': 'As a badge\'s icon: a built-in icon, an emoji, or an image (an http(s) URL or a path on your own site).',
  surveys: 'Micro-surveys: `nps`, `csat`, `ces`, `choice` (a poll) or `text`.',
  'surveys[].id': 'Unique id (shared namespace with every other experience and the pause offers of the cancel flow); sent as `surveyId`.',
  'surveys[].kind': 'The kind of question; decides the scale, the categories and which fields apply.',
  'surveys[].question': 'The question.',
  'surveys[].trigger': 'What shows it: `{ "event": "Report Exported", "count"?: { "gte": 3 } }` or `{ "url": "#/reports*" }`. Without a trigger, only `show(id)`.',
  'surveys[].audience': 'Who may be asked (a [rule](#rules)).',
  'surveys[].sample': 'Share of the audience asked, 0–1. Sticky: the same user is always in or out, on every device (a visitor who signs up keeps the draw they had). Drawn apart from an audience `{ sample }`: the two shares multiply.',
  'surveys[].delayMs': 'Wait after the trigger before showing (eligibility is checked again then).',
  'surveys[].repeat': 'How often it may show again ([repeat](#repeat)); `until-answered` is typical for polls.',
  'surveys[].placement': 'A corner (popover, never blocks the page) or `center` (a modal). `right` and `left` are the trailing and leading corners: mirrored in right-to-left languages, as the checklist and toasts are.',
  'surveys[].priority': 'Higher shows first when several blocking experiences are eligible (default 0).',
  'surveys[].comment': 'A comment box after the answer: `true` for the default prompt, or the prompt itself.',
  'surveys[].thankYou': 'The thank-you line after answering.',
  'surveys[].scale': 'Fixed by kind: nps 10 (0–10), csat 5, ces 5 or 7.',
  'surveys[].display': 'csat only: how the 5 points look (`numbers`, `stars`, `emoji`).',
  'surveys[].followUp': 'A follow-up question by the answer\'s category: nps `detractor` (0–6), `passive` (7–8), `promoter` (9–10); csat and ces `dissatisfied`, `neutral`, `satisfied`.',
  'surveys[].followUp.detractor': 'nps: asked after 0–6.',
  'surveys[].followUp.passive': 'nps: asked after 7–8.',
  'surveys[].followUp.promoter': 'nps: asked after 9–10.',
  'surveys[].followUp.dissatisfied': 'csat/ces: asked after the lower answers.',
  'surveys[].followUp.neutral': 'csat/ces: asked after the middle answer.',
  'surveys[].followUp.satisfied': 'csat/ces: asked after the upper answers.',
  'surveys[].options': 'choice only: the answers, all different.',
  'surveys[].multiple': 'choice only: allow several answers.',
  'surveys[].other': 'choice only: adds an "Other" answer with a text box.',
  cancelFlow: 'The save-offer cancellation flow (see the README\'s section on it).',
  'cancelFlow.id': 'Unique id (shared namespace with every other experience and the pause offers of the cancel flow); sent as `flowId`.',
  'cancelFlow.trigger': 'The host control that starts the flow: `{ "selector": "#cancel-subscription" }`. Without one, call `linger.cancel()`.',
  'cancelFlow.trigger.selector': 'CSS selector of the cancel control; its click is held until the user confirms.',
  'cancelFlow.audience': 'Who gets the flow (a [rule](#rules)); others cancel as usual.',
  'cancelFlow.valueReminder': 'What the user built, shown first.',
  'cancelFlow.valueReminder.title': 'Its heading.',
  'cancelFlow.valueReminder.items': 'Lines built from usage; a line whose count is 0 is left out.',
  'cancelFlow.valueReminder.items[].event': 'An event whose count fills `{count}` in the label.',
  'cancelFlow.valueReminder.items[].points': '`true`: the label may use `{points}` and `{badges}`.',
  'cancelFlow.valueReminder.items[].activeDays': '`true`: the number of days the user was active in the last 90 days fills `{count}`.',
  'cancelFlow.valueReminder.items[].trait': 'A metric your backend supplies as a user trait (a number, e.g. `hoursSaved`); fills `{count}`. Left out when the trait is missing.',
  'cancelFlow.valueReminder.items[].previousTrait': 'Used by value reviews only (the previous period\'s value); ignored here.',
  'cancelFlow.valueReminder.items[].label': 'The line, with its placeholder.',
  valueReviews: 'Value reviews ("Your month in Acme"): the user\'s own numbers for a month, compared with the month before, in a card.',
  'valueReviews[].id': 'Unique id (shared namespace with every other experience and the pause offers of the cancel flow); `show(id)` opens it, sent as `reviewId`.',
  'valueReviews[].title': 'The card\'s heading.',
  'valueReviews[].intro': 'A line under the heading.',
  'valueReviews[].items': 'The numbers, the same item model as the cancel flow\'s value reminder. A line that is 0 now and before is left out; a scheduled review with no line is not shown.',
  'valueReviews[].items[].event': 'Count of this event in the period (from the usage profile, which keeps each day\'s counts for 92 days: the whole month before, even for a review first seen on the 31st).',
  'valueReviews[].items[].points': '`true`: points from badges earned in the period.',
  'valueReviews[].items[].activeDays': '`true`: days the user was active in the period.',
  'valueReviews[].items[].trait': 'A metric your backend supplies as a user trait (a number, e.g. `invoicesSentLastMonth`). Left out when missing, and from a monthly review opened on demand (`show(id)`: the month so far, which last month\'s number would stand for).',
  'valueReviews[].items[].previousTrait': 'The trait holding the same metric for the period before, for the comparison.',
  'valueReviews[].items[].label': 'The name of the number, e.g. "Invoices sent".',
  'valueReviews[].schedule': '`monthly` (default): at the first visit of each month, last month against the month before, once per user (across a verified user\'s devices). `manual`: only `show(id)`, which shows this month so far against the same days of last month.',
  'valueReviews[].audience': 'Who gets it (a [rule](#rules)).',
  'valueReviews[].priority': 'Higher shows first when several blocking experiences are eligible (default 0).',
  'cancelFlow.holdout': 'Share of users (0–1, sticky, drawn apart from an audience `{ sample }`) who get no offer, to measure what offers save.',
  'cancelFlow.reasons': 'Why they leave; one is chosen.',
  'cancelFlow.reasons[].id': 'Unique within the flow; sent as `reasonId`.',
  'cancelFlow.reasons[].label': 'As the user reads it.',
  'cancelFlow.reasons[].offer': 'Id of the offer shown for this reason. Without one, the user goes straight to confirming.',
  'cancelFlow.reasons[].comment': 'A comment box with this reason: `true` for an optional one, `"required"` for one the user must fill before going on.',
  'cancelFlow.offers': 'What the user may be offered instead of cancelling. Your server applies it (README: "Applying an accepted offer safely").',
  'cancelFlow.offers[].id': 'Unique within the flow; a pause offer\'s id also differs from every experience\'s (`show(id)` opens it). Sent as `offerId`; your server looks the offer up by this id.',
  'cancelFlow.offers[].kind': '`discount`, `pause`, `downgrade` or `contact`.',
  'cancelFlow.offers[].title': 'The offer, as the user reads it.',
  'cancelFlow.offers[].body': 'More words about it.',
  'cancelFlow.offers[].percent': 'discount: percent off.',
  'cancelFlow.offers[].months': 'discount: for how many months; pause: the longest pause the user may choose (they pick 1 to this many months and see the date billing resumes). A pause offer\'s `id` also opens it on its own: `show("<id>")` (a "Pause subscription" button, say), with events `Pause Offer Shown` / `Pause Offer Accepted` (`source: "standalone"`) and no cancel events.',
  'cancelFlow.offers[].plan': 'downgrade: the plan to move to (your plan id).',
  'cancelFlow.offers[].offerAgainAfterDays': 'Days from when the user took this offer until it may be offered to them again (`365`: once a year). Without it, an offer the user took is never offered to them again, on any of their devices (one your server refused is, and so is one whose page went before your handler answered, asked for under the same `runId`). A contact offer is always offered. Your server checks it too, and applies each acceptance once by the `runId` your handler gets (README: "Applying an accepted offer safely").',
  'cancelFlow.offers[].url': 'contact: an http(s) or relative link (a booking page, for example), opened in a new tab; taking it ends the flow as `contacted`, never through `onOfferAccepted`.',
  announcements: 'Announcements: a top or bottom `banner` (non-blocking, one at a time), a "what\'s new" `modal` for a major release (blocking, through the scheduler, once) or an item in the "what\'s new" `feed` (a launcher with an unread count). Events `Announcement Shown`/`Clicked`/`Dismissed` carry `announcementId`, `format` and `feature`.',
  'announcements[].id': 'Unique id (shared namespace with every other experience and the pause offers of the cancel flow); sent as `announcementId`.',
  'announcements[].format': '`banner`, `modal` or `feed`.',
  'announcements[].title': 'The headline.',
  'announcements[].body': 'More words (plain text).',
  'announcements[].action': 'The button: `{ "label", "url"? }`. With a url (http(s) or relative) it is a link; clicking it sends `Announcement Clicked` and closes a banner or modal for good.',
  'announcements[].action.label': 'The button text.',
  'announcements[].action.url': 'Where it goes: http(s) or relative.',
  'announcements[].feature': 'The feature it announces, as your `Feature Used` events name it: sent as `feature` so adoption can be read (of those who saw it, who used it after).',
  'announcements[].position': 'banner: `top` (default) or `bottom`.',
  'announcements[].pushLayout': 'banner: `true` pads the page\'s body by the banner\'s height so nothing is covered (it also moves the page\'s fixed or sticky bar at its edge, a header or a footer, in from under it); by default the banner overlays the page.',
  'announcements[].publishedAt': 'When it is out: an ISO date (that day on the user\'s calendar) or a date-time with its offset (`2026-03-09T09:00-05:00`; one without is refused). Any format dated ahead waits for it; the feed lists newest first, and an item read before this date (published again) is unread again.',
  'announcements[].audience': 'Who sees it (a [rule](#rules)); e.g. `{ "survey": "nps", "answered": true, "category": "detractor" }` for "you asked, we built it".',
  'announcements[].sample': 'Share of the audience shown, 0–1, sticky. Drawn apart from an audience `{ sample }`: the two shares multiply.',
  'announcements[].priority': 'Higher wins the one banner place (or the blocking slot, for modals); default 0.',
  billing: 'Billing moments, read from the traits your backend sends with `identify` or `group`: `paymentStatus`, `pastDueSince`, `renewsAt`, `billingInterval`, `subscribedAt`. Buttons call your handlers (`onUpdatePayment`, `onPlanChange`); the browser never changes a plan or a card.',
  'billing.paymentPrompt': 'While `paymentStatus` is `"past_due"`: a banner with "Remind me later", then a blocking wall. Events `Payment Prompt Shown`/`Clicked`/`Resolved` (`promptId`, `stage`, `daysPastDue`); Resolved when the status leaves `past_due` after a prompt was shown.',
  'billing.paymentPrompt.id': 'Unique id; sent as `promptId`.',
  'billing.paymentPrompt.title': 'The banner\'s headline (and the wall\'s, without `wallTitle`).',
  'billing.paymentPrompt.body': 'More words.',
  'billing.paymentPrompt.action': 'The button text; it calls `onUpdatePayment()` (open your billing portal).',
  'billing.paymentPrompt.wallAfterDays': 'Days past due (from the `pastDueSince` trait, else from when Linger first saw that account `past_due`; each workspace counts its own) before the wall; the grace period. `0`: the wall at once. The wall needs `onUpdatePayment` in the page; without it the prompt stays a banner.',
  'billing.paymentPrompt.remindAfterHours': 'How long "Remind me later" hides the banner (never longer from now, even if the device\'s clock was wrong when the user asked).',
  'billing.paymentPrompt.wallTitle': 'The wall\'s headline.',
  'billing.paymentPrompt.wallBody': 'The wall\'s text.',
  'billing.paymentPrompt.audience': 'Who is prompted (a [rule](#rules)), e.g. `{ "trait": "role", "eq": "admin" }` for the members who can pay; others see neither banner nor wall, and no event is sent for them. Without one, every member of a past-due account. Re-checked as traits change: a member made admin gets the prompt, with the account\'s days past due.',
  'billing.renewalReminders': 'Notices before the `renewsAt` trait, each threshold once per renewal date and never two in one day; the button calls `onUpdatePayment()`. Sent as `Payment Prompt Shown`/`Clicked` with `stage: "reminder"` and `daysUntilRenewal`.',
  'billing.renewalReminders.id': 'Unique id; sent as `promptId`.',
  'billing.renewalReminders.title': 'The headline.',
  'billing.renewalReminders.body': 'More words.',
  'billing.renewalReminders.action': 'The button text (update payment details).',
  'billing.renewalReminders.days': 'Calendar days before renewal to remind, in the user\'s time zone (tomorrow is 1; none on the renewal day; a user first seen inside several windows gets one reminder).',
  'billing.renewalReminders.audience': 'Who is reminded (a [rule](#rules)), e.g. `{ "trait": "role", "eq": "admin" }` for the members who can update the card; others see no reminder, and no event is sent for them. Without one, every member of the account.',
  'billing.annualOffer': 'An annual plan at a discount for customers on a monthly plan (`billingInterval` `"month"`) for `afterMonths` (from `subscribedAt`). Accepting calls `onPlanChange({ offerId, kind: "annual", percent })`; events `Plan Offer Shown`/`Accepted`/`Declined` with `variant`.',
  'billing.annualOffer.id': 'Unique id; sent as `offerId`; your server looks the offer up by it.',
  'billing.annualOffer.title': 'The offer, as the user reads it.',
  'billing.annualOffer.body': 'More words.',
  'billing.annualOffer.action': 'The accept button text.',
  'billing.annualOffer.percent': 'Percent off the annual price (1–100), sent to `onPlanChange`.',
  'billing.annualOffer.afterMonths': 'Calendar months on the monthly plan since `subscribedAt`, on the user\'s calendar (from the 31st, a month ends on a shorter month\'s last day), before it is offered: 12 is the anniversary.',
  'billing.annualOffer.holdout': 'Share of users (0–1, sticky) who get no offer (sent as `Plan Offer Shown` with `variant: "holdout"`), to measure what it converts.',
  'billing.annualOffer.audience': 'Who may be offered it (a [rule](#rules)).',
  'billing.paymentPrompt.position': 'Its banner: `top` (default) or `bottom`.',
  'billing.paymentPrompt.pushLayout': 'Its banner pads the page\'s body instead of covering it (as for announcements).',
  'billing.renewalReminders.position': 'Its banner: `top` (default) or `bottom`.',
  'billing.renewalReminders.pushLayout': 'Its banner pads the page\'s body instead of covering it (as for announcements).',
  'billing.annualOffer.position': 'Its banner: `top` (default) or `bottom`.',
  'billing.annualOffer.pushLayout': 'Its banner pads the page\'s body instead of covering it (as for announcements).',
}

export interface Field {
  path: string
  type: string
  required: boolean
  default?: unknown
  kinds?: string[]
}

const ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$'

function describeType(node: Node): string {
  if (node.$ref) return node.$ref === '#/$defs/Rule' ? '[rule](#rules)' : node.$ref.split('/').pop()
  const variants: Node[] | undefined = node.anyOf ?? node.oneOf
  if (variants) {
    const types = [...new Set(variants.map(describeType))]
    return types.join(' or ')
  }
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``
  if (node.enum) return node.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(', ')
  switch (node.type) {
    case 'string':
      if (node.pattern === ID_PATTERN) return 'id (a-z, 0-9, `-`, `_`; ≤ 64)'
      // \S: text that is not blanks only, which is what "text" means here.
      if (node.pattern && node.pattern !== '\\S') return 'string'
      return node.maxLength ? `text (≤ ${node.maxLength})` : 'string'
    case 'integer':
    case 'number': {
      const word = node.type === 'integer' ? 'whole number' : 'number'
      const lo = node.minimum
      const hi = node.maximum
      return lo !== undefined && hi !== undefined ? `${word} ${lo}–${hi}` : word
    }
    case 'array': {
      const n = node.minItems ? `${node.minItems}–${node.maxItems ?? '…'}` : node.maxItems ? `≤ ${node.maxItems}` : ''
      return `list${n ? ` (${n})` : ''}`
    }
    case 'object':
      return 'object'
    default:
      return String(node.type ?? 'any')
  }
}

/** Object variants of a node (an object, or a union of objects as surveys and offers are). */
function objectVariants(node: Node): Node[] {
  if (node.type === 'object' && node.properties) return [node]
  const variants: Node[] = node.anyOf ?? node.oneOf ?? []
  return variants.filter((v) => v.type === 'object' && v.properties)
}

/** Every field below `node`, depth first, in schema order. Rules are documented once, apart. */
export function collectFields(node: Node, prefix = ''): Field[] {
  const out: Field[] = []
  const variants = objectVariants(node)
  if (!variants.length) return out
  const kindOf = (v: Node) => v.properties?.kind?.const as string | undefined
  const byName = new Map<string, { nodes: Node[]; required: boolean[]; kinds: string[] }>()
  for (const v of variants) {
    for (const [name, child] of Object.entries<Node>(v.properties)) {
      const entry = byName.get(name) ?? { nodes: [], required: [], kinds: [] }
      entry.nodes.push(child)
      entry.required.push((v.required ?? []).includes(name))
      const kind = kindOf(v)
      if (kind) entry.kinds.push(kind)
      byName.set(name, entry)
    }
  }
  const allKinds = variants.map(kindOf).filter(Boolean) as string[]
  for (const [name, { nodes, required, kinds }] of byName) {
    const path = prefix ? `${prefix}.${name}` : name
    const merged = nodes.length === 1 ? nodes[0] : { anyOf: nodes }
    const onlySome = name !== 'kind' && allKinds.length > 1 && kinds.length < allKinds.length
    const field: Field = {
      path,
      type: name === 'kind' && allKinds.length ? allKinds.map((k) => `\`"${k}"\``).join(', ') : describeType(merged),
      // A field of only some shapes of a union is required only in those: per survey kind (said
      // with the kind), else not at all (a value line is an event, points, days or a trait line).
      required: required.every(Boolean) && (required.length === variants.length || onlySome),
    }
    const withDefault = nodes.find((n) => n.default !== undefined)
    if (withDefault) field.default = withDefault.default
    if (onlySome) field.kinds = kinds
    out.push(field)
    // A field that is itself a choice of shapes (trigger, repeat) is explained in its own line.
    if (nodes.some((n) => n.anyOf || n.oneOf)) continue
    for (const child of nodes) {
      const inner = child.type === 'array' ? child.items : child
      if (!inner || inner.$ref) continue
      const childPrefix = child.type === 'array' ? `${path}[]` : path
      // Union members of one field (the two value-reminder line forms) merge into one table.
      if (nodes.length > 1 && child !== nodes[0]) continue
      out.push(...collectFields(nodes.length > 1 ? { anyOf: nodes.map((n) => (n.type === 'array' ? n.items : n)) } : inner, childPrefix))
    }
  }
  return dedupe(out)
}

function dedupe(fields: Field[]): Field[] {
  const seen = new Set<string>()
  return fields.filter((f) => !seen.has(f.path) && seen.add(f.path))
}

const RULE_FORMS: Array<[string, string]> = [
  ['{ "event": name, "count"?: {gte|lte|eq|gt|lt}, "withinDays"?: n }', 'The user did `event` (at least once, or `count` times; within the last `withinDays` days, at most 90: daily detail is kept for 90 days).'],
  ['{ "daysSince": "firstSeen" | "lastSeen" | trait, "gte"?: n, "lte"?: n }', 'Days since first seen on this device, since the visit before this one (`lastSeen`; a visit ends after 30 minutes without an event), or since a date held in a trait (e.g. `createdAt` from `identify`). From a trait it counts the user\'s own calendar days: a date alone (`"2026-03-20"`) is that day where they are, a date-time the day it falls on there (signed up today is day 0 until their midnight, yesterday 11 pm is day 1 this morning); from `firstSeen` and `lastSeen`, 24-hour blocks. Negative for a date still to come: add `"gte": 0` where that matters.'],
  ['{ "all": [rules] }, { "any": [rules] }, { "not": rule }', 'Combinations.'],
  ['{ "activeDays": {gte|lte}, "withinDays"?: n }', 'Days with any activity in the last 90 days, or in the last `withinDays` (at most 90).'],
  ['{ "checklist": id, "status": "completed" | "dismissed" | "started" | "not-started" }', 'A checklist\'s state for this user.'],
  ['{ "badge": id }', 'The user has earned the badge.'],
  ['{ "survey": id, "answered": bool, "category"?: c }', 'Whether the user answered the survey; with `category` (`detractor`, `passive`, `promoter`, `dissatisfied`, `neutral`, `satisfied`), whether their last answer fell in it.'],
  ['{ "daysUntil": trait, "gte"?: n, "lte"?: n }', 'The user\'s calendar days until a date held in a trait (e.g. `renewsAt`), as renewal reminders count them: a renewal Thursday 11 pm is 3 days away on Monday morning, 0 on the day; a date alone is that day where they are. Negative once it passed. A trait date is an ISO date or date-time, or a number: ms since 1970, or Unix seconds (below 1e11, as Stripe sends them).'],
  ['{ "feature": name, "count"?: {…}, "withinDays"?: n }', '`Feature Used` events with this `feature` property (count, default at least 1); with `withinDays`, the last use was that recent.'],
  ['{ "trait": name, "eq" | "neq" | "in" | "gt" | "gte" | "lt" | "lte" | "exists" | "contains": value }', 'A user trait from `identify` (or an account trait from `group`). Two dates compare as dates: an ISO date, or a date-time with its offset (`"2026-01-31T18:00-05:00"`, or `Z`; in the rule a time without one is refused, naming the path; a trait\'s is read as UTC), or a trait holding ms or Unix seconds; a date alone in the rule is that whole day on the user\'s calendar (`"lte": "2026-01-31"` includes noon on the 31st where they are). A trait sent as text is read as the number or yes/no the rule compares it with (`"42"` is `"gte": 10`, `"true"` is `"eq": true`); a string in the rule stays text. A list trait (`roles`) is `eq`/`in` a value when one of its items is, and `neq` only when none is. A trait not set fails every comparison (`neq` too) but `exists: false`; `{ "not": … }` holds for it.'],
  ['{ "url": glob }', 'The current page URL matches (`*` any run of characters, `?` one). A trailing slash, a query or fragment after what the glob names, and percent-encoding make no difference (`/billing` matches `/billing/?tab=2`, not `/billing/invoices`); case does.'],
  ['{ "sample": 0..1 }', 'A sticky share of users (hashed from user and experience; a visitor who signs up keeps the draw they had).'],
  ['{ "streakDays": n }, { "distinctFeatures": n }, { "points": n }', 'Badge rules only: a streak of active days, features used, points reached.'],
]

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The whole page. `schema` is flowsJsonSchema()'s output. */
export function renderFlowsReference(schema: Node): string {
  const fields = collectFields(schema)
  const missing = fields.filter((f) => !MEANINGS[f.path]).map((f) => f.path)
  if (missing.length) throw new Error(`flows reference: no meaning written for ${missing.join(', ')} (scripts/flows-reference.ts)`)
  const sections = new Map<string, Field[]>()
  for (const f of fields) {
    const top = f.path.split(/[.[]/)[0]
    sections.set(top, [...(sections.get(top) ?? []), f])
  }
  const lines = [
    '# Flows document: every field',
    '',
    '<!-- Generated by `npm run schema` from the flows JSON Schema (scripts/flows-reference.ts). Do not edit by hand. -->',
    '',
    'One JSON document configures every experience. Ids (`id`) are required on every experience, task, reason and offer:',
    'lowercase `a-z`, `0-9`, `-` and `_`, at most 64 characters, unique across checklists, tours, surveys, value reviews,',
    'announcements, billing prompts, the cancel flow and its pause offers. An invalid experience is reported with its path and rule and',
    'skipped; the others run (each billing prompt on its own). Unknown keys inside an experience are reported and ignored,',
    'except a near miss of a known key (`sampel` for `sample`): that fails the experience, since the key it meant may',
    'decide who sees it. A text field (`text (≤ n)`) needs something to show: blanks only are refused like an empty one.',
    'The JSON Schema for editors: `npm run schema` → `dist/flows.schema.json`.',
    '',
  ]
  const scalars = [...sections].filter(([, list]) => list.length === 1).map(([top]) => top)
  lines.push('## The document', '', '| key | meaning |', '|---|---|')
  for (const top of [...sections.keys()]) lines.push(`| \`${top}\` | ${cell(MEANINGS[top])} |`)
  lines.push('')
  for (const [top, list] of sections) {
    if (scalars.includes(top)) continue
    lines.push(`## \`${top}\``, '', MEANINGS[top] ?? '', '', '| field | type | required | default | meaning |', '|---|---|---|---|---|')
    for (const f of list) {
      if (f.path === top) continue
      const meaning = MEANINGS[f.path] + (f.kinds ? ` (kind: ${f.kinds.join(', ')})` : '')
      const dflt = f.default === undefined ? '' : `\`${JSON.stringify(f.default)}\``
      lines.push(`| \`${f.path}\` | ${cell(f.type)} | ${f.required ? 'yes' : ''} | ${cell(dflt)} | ${cell(meaning)} |`)
    }
    lines.push('')
  }
  lines.push('## Rules', '', 'Audience, `doneWhen` and badge rules are plain JSON objects, one form each:', '', '| form | true when |', '|---|---|')
  for (const [form, meaning] of RULE_FORMS) lines.push(`| \`${cell(form)}\` | ${cell(meaning)} |`)
  lines.push(
    '',
    '## Repeat',
    '',
    '`repeat` is `"once"`, `"until-completed"`, `"until-answered"`, `"always"`, or `{ "afterDays": n }` (again once',
    'n days have passed on the user\'s calendar: shown Monday evening with `afterDays: 1`, it may come again from Tuesday',
    'morning; `settings.cooldownDays` still counts 24-hour days). Surveys default to `"once"`, tours to `"always"` (each new start still waits for the cooldown). A',
    'survey is completed by its answer, so on a survey `"until-completed"` means the same as `"until-answered"`. One',
    'blocking experience (tour, survey, cancel flow) shows at a time, and `settings.cooldownDays` separates two of them;',
    'checklists, hotspots and badges never block.',
    '',
  )
  return lines.join('\n')
}
