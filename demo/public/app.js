// Acme Projects: a pretend SaaS host. Everything Linger-related goes through `linger(...)`,
// exactly as a vendor would write it after pasting the snippet.
const $ = (s) => document.querySelector(s)
const config = await (await fetch('/api/config')).json()
// Each person's own projects, tasks and exports, kept on this device: signing in as someone else
// shows theirs, and a reload keeps them (as Linger keeps its own counts of the same events).
const blank = () => ({ projects: [], tasks: [], reports: 0 })
let state = blank()
let owner = ''
function load(userId) {
  // Done before the first sign-in answered (a quick click while /api/me loads): that person's.
  const early = owner ? blank() : state
  owner = userId
  try {
    state = { ...blank(), ...JSON.parse(localStorage.getItem(`acme:${userId}`) ?? '{}') }
  } catch {
    state = blank()
  }
  state.projects.push(...early.projects)
  state.tasks.push(...early.tasks)
  state.reports += early.reports
  counts()
}

linger('init', {
  key: config.key,
  endpoint: config.endpoint,
  flows: '/flows.json',
  debug: true,
  // We learn who is signed in from /api/me, a request away: the landing page view waits for that
  // answer and goes as them, verified by their userHash, not as an anonymous visitor.
  holdForIdentify: 3000,
  // Offers are applied by our server, never by the browser alone (see /api/offers/apply): it
  // knows the user from our session and the offer from its own copy of the flows.
  handlers: {
    onOfferAccepted: (offer, reason) => applyOffer(offer, undefined, reason?.id),
    onPause: ({ months, offer }) => applyOffer(offer, months),
    // Billing prompts: our server checks the session and goes to Stripe (see /api/billing/*).
    onUpdatePayment: () => billing('/api/billing/payment-method', {}),
    onPlanChange: (offer) => billing('/api/billing/plan-change', { offerId: offer.offerId }),
  },
})
linger('on', 'error', (e) => console.warn('[demo] linger error', e))

// Without a userId: the person this browser is signed in as (a reload keeps them).
// Only the last asked answers: a switch made while the page's first sign-in loads (a quick pick
// from the list) was undone when that slower answer came, the page showing the first person's plan.
// And a person picked before the page's own sign-in even started (the list answers while this
// script still loads the flows) is not undone by it either: that sign-in yields to the pick.
let signing = 0
async function signIn(userId) {
  if (!userId && signing) return
  const mine = ++signing
  const me = await (await fetch(userId ? `/api/me?user=${encodeURIComponent(userId)}` : '/api/me')).json()
  if (mine !== signing) return
  $('#user').value = me.userId
  load(me.userId)
  linger('identify', me.userId, me.traits, { userHash: me.userHash })
  linger('group', me.account.id, me.account.traits, { groupHash: me.account.groupHash })
  renderPlan(me.account.plan)
}

function renderPlan(plan) {
  $('#plan').textContent = plan.name
  $('#plan-note').textContent = plan.note || ''
  $('#plan-badge').textContent = plan.badge
  // Starter is free: nothing to cancel, so no cancel button (and no save offer).
  const hiding = document.activeElement?.closest('#cancel-subscription, #pause-subscription, #upgrade')
  $('#cancel-subscription').hidden = plan.id === 'starter'
  $('#pause-subscription').hidden = plan.id === 'starter' || plan.paused
  $('#upgrade').hidden = plan.id !== 'starter'
  $('#upgrade').textContent = plan.upgrade
  // A keyboard user whose button just went (they cancelled, or upgraded) keeps their place on
  // the page: focus goes to the button that took its place, not to the top of the document.
  if (hiding?.hidden) (plan.id === 'starter' ? $('#upgrade') : $('#cancel-subscription')).focus()
}

// The plan is a trait Linger's rules read (the cancel flow is for paying plans): tell it when
// our backend changes the plan. The account's plan too: the dashboard's segments read it.
async function planChanged(plan) {
  renderPlan(plan)
  const me = await (await fetch(`/api/me?user=${encodeURIComponent($('#user').value)}`)).json()
  linger('identify', me.userId, me.traits, { userHash: me.userHash })
  linger('group', me.account.id, me.account.traits, { groupHash: me.account.groupHash })
}

const titles = { dashboard: 'Dashboard', projects: 'Projects', reports: 'Reports', settings: 'Settings', billing: 'Billing' }
function route() {
  const name = (location.hash.match(/^#\/(\w+)/) || [])[1] || 'dashboard'
  document.querySelectorAll('[data-page]').forEach((s) => (s.hidden = s.dataset.page !== name))
  document.querySelectorAll('nav a').forEach((a) => a.toggleAttribute('aria-current', a.dataset.route === name))
  if (document.querySelector('nav a[aria-current]')) document.querySelector('nav a[aria-current]').setAttribute('aria-current', 'page')
  $('#title').textContent = titles[name] || 'Acme'
  // A new page starts at its top, as in any single-page app.
  if (name !== route.last) window.scrollTo(0, 0)
  route.last = name
  if (name === 'dashboard') linger.track('Dashboard Viewed')
  if (location.hash === '#/projects/new') document.querySelector('#new-project input').focus()
}

function counts() {
  try {
    localStorage.setItem(`acme:${owner}`, JSON.stringify(state))
  } catch {
    // storage full or blocked: the counts still show for this visit
  }
  $('#count-projects').textContent = state.projects.length
  $('#count-tasks').textContent = state.tasks.length
  $('#count-reports').textContent = state.reports
  $('#projects').replaceChildren(...state.projects.map((p) => Object.assign(document.createElement('li'), { textContent: `${p.name} · ${p.template}` })))
  $('#tasks').replaceChildren(...state.tasks.map((t) => Object.assign(document.createElement('li'), { textContent: t })))
}

function createProject(name, template) {
  state.projects.push({ name, template })
  linger.track('Project Created', { template })
  counts()
}
function addTask(title) {
  state.tasks.push(title)
  linger.track('Task Created', { project: state.projects.at(-1)?.name ?? 'Inbox' })
  counts()
}
function exportReport() {
  state.reports++
  linger.track('Report Exported', { format: 'csv' })
  counts()
}

document.addEventListener('click', (e) => {
  const action = e.target.closest('[data-action]')?.dataset.action
  if (action === 'new-project') createProject(`Project ${state.projects.length + 1}`, 'kanban')
  if (action === 'add-task') addTask(`Task ${state.tasks.length + 1}`)
  if (action === 'export') exportReport()
  if (action === 'connect-slack') linger.track('Integration Connected', { provider: 'slack' })
})
$('#new-project').addEventListener('submit', (e) => {
  e.preventDefault()
  const f = new FormData(e.target)
  createProject(String(f.get('name')), String(f.get('template')))
  e.target.reset()
})
$('#new-task').addEventListener('submit', (e) => {
  e.preventDefault()
  addTask(String(new FormData(e.target).get('title')))
  e.target.reset()
})
$('#invite').addEventListener('submit', (e) => {
  e.preventDefault()
  linger.track('Teammate Invited', { role: 'member' })
  e.target.reset()
})

// The host's own cancel action. Linger intercepts the click first (flows: cancelFlow.trigger);
// this runs only when the user confirms the cancellation.
// Our server takes the user from the session (the userHash confirms it) and tells Stripe.
$('#cancel-subscription').addEventListener('click', () => billing('/api/subscription/cancel', {}))
// A pause on its own, not only as a save offer: the flows' `pause-anytime` offer (1–3 months).
$('#pause-subscription').addEventListener('click', () => linger.show('pause-anytime'))
async function applyOffer(offer, months, reasonId) {
  const me = await (await fetch(`/api/me?user=${encodeURIComponent($('#user').value)}`)).json()
  const res = await fetch('/api/offers/apply', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    // Only ids and the user's choices: the server takes percent, plan and the longest pause from its own
    // flows, and checks the offer is the one for the reason the user gave.
    body: JSON.stringify({ userHash: me.userHash, offerId: offer.id, months, reasonId }),
  })
  if (!res.ok) throw new Error((await res.json()).error || 'could not apply the offer')
  await planChanged((await res.json()).plan)
}

async function billing(path, extra) {
  const me = await (await fetch(`/api/me?user=${encodeURIComponent($('#user').value)}`)).json()
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userHash: me.userHash, ...extra }) })
  if (!res.ok) throw new Error((await res.json()).error || 'billing update failed')
  // The new payment status (or billing interval) reaches Linger as traits: the prompt resolves.
  await planChanged((await res.json()).plan)
}

$('#upgrade').addEventListener('click', () => billing('/api/subscription/upgrade', {}))
// Switching person is a sign-in: the page renders again for them, as after a real login.
$('#user').addEventListener('change', (e) => signIn(e.target.value).then(route))
$('#logout').addEventListener('click', () => {
  linger('reset')
  signIn($('#user').value)
})
$('#collector-link').href = config.eventsPage

// The product team's preview buttons: linger.show(id) bypasses audience and sampling.
const flows = await (await fetch('/flows.json')).json()
const ids = [...flows.checklists, ...flows.tours, ...flows.surveys, ...(flows.valueReviews ?? []), ...(flows.announcements ?? []).filter((a) => a.format !== 'feed')].map((x) => x.id).concat(['badges'])
// A tour or hotspot whose first target is on another of our pages (the Slack hint lives in
// Settings) has nothing to point at here: its preview opens that page first, or it shows nothing.
function pageOf(id) {
  const target = flows.tours.find((t) => t.id === id)?.steps[0]?.target
  return target ? document.querySelector(target)?.closest('[data-page]')?.dataset.page : undefined
}
function preview(id) {
  const page = pageOf(id)
  if (page && page !== route.last) {
    location.hash = `#/${page}`
    route() // now, not at the next hashchange: the target is on screen for show()
  }
  // show() never pushes aside what is on screen (one blocking experience at a time): it says
  // false then, and why() says what holds the screen. Say so, rather than a button that does nothing.
  const shown = linger.show(id)
  const blocked = shown ? [] : linger.why(id).reasons.filter((r) => r.startsWith('blocked-by:'))
  $('#preview-status').textContent = blocked.length ? `${id} is not shown (${blocked.join(', ')}): close what is on screen, then try again.` : ''
}
$('#show-buttons').replaceChildren(
  ...ids.map((id) => Object.assign(document.createElement('button'), { textContent: `Show ${id}`, onclick: () => preview(id) })),
  Object.assign(document.createElement('button'), { textContent: 'Why not shown? (console)', onclick: () => ids.forEach((id) => console.log(id, linger.why(id))) }),
)

window.addEventListener('hashchange', route)
await signIn()
counts()
route()
