// Flows documents for the runtime benches.

/** The event names the track benches cycle through: each one triggers some experiences. */
export const EVENTS = [
  'Project Created', 'Task Created', 'Report Exported', 'Teammate Invited', 'Dashboard Viewed',
  'Comment Added', 'File Uploaded', 'Search Used', 'Filter Applied', 'Integration Connected',
]

// Passes its first parts for the bench user (new, active, on the "pro" plan) and fails on the
// last, so every triggered experience walks a real rule before the scheduler says no.
const audience = (i) => ({
  all: [
    { daysSince: 'firstSeen', lte: 30 },
    { event: EVENTS[i % EVENTS.length], count: { gte: 1 }, withinDays: 14 },
    { not: { event: 'Account Deleted' } },
    { any: [{ trait: 'plan', eq: 'enterprise' }, { trait: 'seats', gte: 500 }, { url: '*/admin/*' }] },
  ],
})

/**
 * 50 experiences (17 checklists, 17 tours, 16 surveys) plus badges and levels, every tour and
 * survey triggered by one of EVENTS, none eligible for the bench user: what `track()` costs on a
 * realistic config, without a widget rendering in the middle of the measurement.
 */
export function fiftyExperiences() {
  const kinds = ['nps', 'csat', 'ces', 'choice']
  return {
    version: 1,
    settings: { cooldownDays: 2 },
    checklists: Array.from({ length: 17 }, (_, i) => ({
      id: `checklist-${i}`,
      title: `Checklist ${i}`,
      audience: audience(i),
      tasks: [0, 1, 2].map((t) => ({
        id: `task-${t}`,
        title: `Task ${t}`,
        doneWhen: { event: EVENTS[(i + t) % EVENTS.length], count: { gte: 5 + t } },
        points: 10,
      })),
      reward: { points: 20 },
    })),
    tours: Array.from({ length: 17 }, (_, i) => ({
      id: `tour-${i}`,
      trigger: { event: EVENTS[i % EVENTS.length] },
      audience: audience(i + 1),
      steps: [
        { id: 'one', target: '#bench-target', title: 'Step one', body: 'The first step.' },
        { id: 'two', title: 'Step two', body: 'The last step.' },
      ],
      repeat: 'once',
    })),
    surveys: Array.from({ length: 16 }, (_, i) => {
      const kind = kinds[i % kinds.length]
      return {
        id: `survey-${i}`,
        kind,
        question: `Question ${i}?`,
        ...(kind === 'choice' ? { options: ['A', 'B', 'C'] } : {}),
        trigger: { event: EVENTS[(i + 3) % EVENTS.length] },
        audience: audience(i + 2),
        repeat: 'once',
      }
    }),
    badges: Array.from({ length: 6 }, (_, i) => ({
      id: `badge-${i}`,
      title: `Badge ${i}`,
      points: 10,
      rule: { event: EVENTS[i], count: { gte: 1_000_000 } },
    })),
    levels: [
      { name: 'Newcomer', points: 0 },
      { name: 'Regular', points: 100 },
    ],
  }
}

/**
 * One experience per widget, each shown by a trigger the bench pulls: an event for the
 * checklist (its audience), the badge toast, the tour and the survey; a click for the cancel flow.
 */
export const WIDGETS = {
  checklist: {
    host: 'linger-checklist',
    trigger: { track: 'Bench Checklist' },
    flows: {
      checklists: [{ id: 'bench', title: 'Get started', audience: { event: 'Bench Checklist' }, tasks: [{ id: 'a', title: 'Do a thing', doneWhen: { event: 'Thing Done' } }] }],
    },
  },
  'badge toast': {
    host: 'linger-badge-toast',
    trigger: { track: 'Bench Badge' },
    flows: { badges: [{ id: 'bench', title: 'Bench badge', icon: '🏁', points: 10, rule: { event: 'Bench Badge' } }] },
  },
  tour: {
    host: 'linger-tours',
    trigger: { track: 'Bench Tour' },
    flows: { tours: [{ id: 'bench', trigger: { event: 'Bench Tour' }, steps: [{ id: 'a', target: '#bench-target', title: 'Here', body: 'This button.' }] }] },
  },
  survey: {
    host: 'linger-survey',
    trigger: { track: 'Bench Survey' },
    flows: { surveys: [{ id: 'bench', kind: 'nps', question: 'How likely are you to recommend us?', trigger: { event: 'Bench Survey' } }] },
  },
  'cancel flow': {
    host: 'linger-cancel',
    trigger: { click: '#bench-cancel' },
    flows: {
      cancelFlow: {
        id: 'bench',
        trigger: { selector: '#bench-cancel' },
        reasons: [{ id: 'price', label: 'Too expensive', offer: 'discount' }, { id: 'other', label: 'Something else' }],
        offers: [{ id: 'discount', kind: 'discount', title: '30% off', percent: 30 }],
      },
    },
  },
}
