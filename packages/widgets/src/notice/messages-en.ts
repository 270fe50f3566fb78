import type { Catalog } from '../platform/i18n'

/**
 * The English texts of announcements and billing prompts travel with their UI chunks (render()
 * adds them to the English catalog, every locale's fallback). Translations stay in
 * platform/messages/<lang>.ts.
 */
export const messages: Catalog = {
  'notice.later': 'Remind me later',
  'notice.busy': 'One moment…',
  'notice.error': 'That did not work. Please try again.',
  'notice.retry': 'Try again',
  'notice.done': 'Thanks! This updates once the change is through.',
  'notice.label': 'Announcement',
  'notice.billing': 'Billing',
  'notice.more': 'More: {title}',
  'announcements.feed': "What's new",
  'announcements.unread.one': "What's new, {count} unread",
  'announcements.unread.other': "What's new, {count} unread",
  'announcements.close': "Close what's new",
  'announcements.empty': 'Nothing new right now.',
}
