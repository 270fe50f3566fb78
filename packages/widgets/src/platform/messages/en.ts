import type { Catalog } from '../i18n'

// One block per widget, keyed `<kind>.`: append your own block, never reorder others'.
export const messages: Catalog = {
  // ── common (platform) ──
  'common.close': 'Close',
  'common.dismiss': 'Dismiss',
  'common.points.one': '{count} point',
  'common.points.other': '{count} points',

  // ── checklist ──
  'checklist.region': 'Onboarding checklist',
  'checklist.open': '{title}: {done} of {total} tasks done',
  'checklist.progress': '{done}/{total}',
  'checklist.progressLabel': '{done} of {total} tasks done',
  'checklist.close': 'Close checklist',
  'checklist.dismiss': 'Hide checklist',
  'checklist.resume': 'Resume checklist',
  'checklist.done': 'Done',
  'checklist.todo': 'Not done yet',
  'checklist.showMe': 'Show me',
  'checklist.taskPoints': '+{points}',
  'checklist.completeTitle': 'All done!',
  'checklist.completeBody': 'You finished “{title}”.',
  'checklist.reward': 'Reward: {points} points',
  'checklist.announceTask': 'Task completed: {title}',
  'checklist.announceDone': 'Checklist completed: {title}',

  // ── badges ──
  'badges.open': 'Badges',
  'badges.title': 'Your badges',
  'badges.close': 'Close badges',
  'badges.level': 'Level: {level}',
  'badges.total': 'Total points',
  'badges.nextLevel': '{points} points to {level}',
  'badges.earnedOn': 'Earned {date}',
  'badges.locked': 'Locked',
  'badges.progress': '{current}/{target}',
  'badges.progressLabel': '{current} of {target}',
  'badges.earned': 'Badge earned',
  'badges.levelReached': 'Level reached',
  'badges.announceBadge': 'Badge earned: {title}',
  'badges.announceLevel': 'Level reached: {level}',
  'badges.view': 'View badges',
}
