import type { Flows } from '../../config/flows-schema'

/** The checklist, badges and levels of test/fixtures/flows.json, as tests use them. */
export const exampleFlows = {
  checklists: [
    {
      id: 'getting-started',
      title: 'Get started with Acme Projects',
      audience: { daysSince: 'firstSeen', lte: 30 },
      tasks: [
        { id: 'create-project', title: 'Create your first project', doneWhen: { event: 'Project Created' }, cta: { label: 'New project', url: '#/projects/new' }, points: 10 },
        { id: 'add-tasks', title: 'Add three tasks', doneWhen: { event: 'Task Created', count: { gte: 3 } }, points: 10 },
        { id: 'invite', title: 'Invite a teammate', doneWhen: { event: 'Teammate Invited' }, points: 20 },
        { id: 'export', title: 'Export a report', doneWhen: { event: 'Report Exported' }, tour: 'export-tour', points: 10 },
      ],
      reward: { points: 50, badge: 'onboarded' },
      dismissible: true,
    },
  ],
  badges: [
    { id: 'onboarded', title: 'Onboarded', description: 'Finished the getting-started checklist', icon: '🚀', rule: { checklist: 'getting-started', status: 'completed' } },
    { id: 'reporter', title: 'Report pro', description: 'Exported 10 reports', icon: '📊', points: 30, rule: { event: 'Report Exported', count: { gte: 10 } } },
    { id: 'on-a-roll', title: 'On a roll', description: 'Active 5 days in a row', icon: '🔥', points: 25, rule: { streakDays: 5 } },
    { id: 'explorer', title: 'Explorer', description: 'Used 5 different features', icon: '🧭', points: 20, rule: { distinctFeatures: 5 } },
  ],
  levels: [
    { name: 'Newcomer', points: 0 },
    { name: 'Regular', points: 60 },
    { name: 'Power user', points: 150 },
  ],
} as unknown as Partial<Flows>
