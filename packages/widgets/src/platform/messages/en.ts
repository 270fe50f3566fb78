import type { Catalog } from '../i18n'

// One block per widget, keyed `<kind>.`: append your own block, never reorder others'.
export const messages: Catalog = {
  // ── common (platform) ──
  'common.dismiss': 'Dismiss',
  'common.points.one': '{count} point',
  'common.points.other': '{count} points',

  // ── checklist ──
  'checklist.region': 'Onboarding checklist',
  'checklist.open.one': '{title}: {done} of {total} task done',
  'checklist.open.other': '{title}: {done} of {total} tasks done',
  'checklist.progress': '{done}/{total}',
  'checklist.progressLabel.one': '{done} of {total} task done',
  'checklist.progressLabel.other': '{done} of {total} tasks done',
  'checklist.close': 'Close checklist',
  'checklist.dismiss': 'Hide checklist',
  'checklist.resumeNamed': 'Resume checklist: {title}',
  'checklist.done': 'Done',
  'checklist.todo': 'Not done yet',
  'checklist.showMe': 'Show me',
  'checklist.taskPoints': '+{points}',
  'checklist.completeTitle': 'All done!',
  'checklist.completeBody': 'You finished “{title}”.',
  'checklist.reward': 'Reward: {points}',
  'checklist.announceTask': 'Task completed: {title}',
  'checklist.announceDone': 'Checklist completed: {title}',

  // ── badges ──
  'badges.open': 'Badges',
  'badges.title': 'Your badges',
  'badges.close': 'Close badges',
  'badges.level': 'Level: {level}',
  'badges.nextLevel': '{points} to {level}',
  'badges.earnedOn': 'Earned {date}',
  'badges.locked': 'Locked',
  'badges.progress': '{current}/{target}',
  'badges.progressLabel': '{current} of {target}',
  'badges.earned': 'Badge earned',
  'badges.levelReached': 'Level reached',
  'badges.announceBadge': 'Badge earned: {title}',
  'badges.announceLevel': 'Level reached: {level}',
  'badges.view': 'View badges',

  // ── surveys: in surveys/messages-en.ts (loaded with the surveys UI) ──

  // ── cancel (the longer texts are in cancel/messages-en.ts, loaded with the cancel UI) ──
  'cancel.close': 'Close',
  'cancel.reasonsTitle': 'Why do you want to cancel?',
  'cancel.decline': 'No thanks, continue',
  'cancel.back': 'Back',
  'cancel.continue': 'Continue to cancel',
  'cancel.keep': 'Keep my subscription',
  'cancel.comment': 'Tell us more (optional)',
  'cancel.confirm': 'Cancel subscription',
  'cancel.done': 'Done',

  // ── tours ──
  'tours.progress': '{n} of {total}',
  'tours.next': 'Next',
  'tours.back': 'Back',
  'tours.done': 'Done',
  'tours.close': 'Close tour',
  'tours.openHint': 'Show tip: {title}',
  'tours.announce': 'Tour: {title}. Press Tab to go to it.',
  'tours.elsewhere': 'This step is on another page: go there to continue the tour.',
  'tours.go': 'Go there',
  'tours.end': 'End tour',
}
