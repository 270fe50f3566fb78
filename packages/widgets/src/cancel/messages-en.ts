import type { Catalog } from '../platform/i18n'

/**
 * The cancel flow's longer English texts travel with the cancel UI chunk (render() adds them to
 * the English catalog, every locale's fallback): a page that never shows the flow does not load
 * them. Translations stay in platform/messages/<lang>.ts.
 */
export const messages: Catalog = {
  'cancel.offer.discount': 'The discount applies to your current subscription. You can still cancel later.',
  'cancel.offer.pause': 'Nothing is charged while paused, and your projects stay exactly as they are.',
  'cancel.offer.downgrade': 'You keep your account and your data, and can upgrade again any time.',
  'cancel.offer.contact': 'Tell us what you need: a specialist will help you get it done.',
  'cancel.accept.discount': 'Claim the discount',
  'cancel.accept.pause': 'Pause instead',
  'cancel.accept.downgrade': 'Switch plan',
  'cancel.accept.contact': 'Talk to us',
  'cancel.confirmBody': 'Your subscription ends at the close of the current billing period.',
  'cancel.applyingTitle': 'One moment…',
  'cancel.applying': 'Applying your offer…',
  'cancel.errorBody': 'We could not apply the offer. Please try again.',
  'cancel.savedTitle': 'Thanks for staying!',
  'cancel.saved.discount': 'Your discount has been applied.',
  'cancel.saved.pause': 'Your subscription has been paused.',
  // Not "has been changed": a vendor's billing usually moves the plan at the renewal.
  'cancel.saved.downgrade': 'Your plan change is confirmed.',
  'cancel.saved.contact': 'We will be in touch soon.',
  'cancel.valueTitle': 'Before you go',
  'cancel.confirmTitle': 'Cancel your subscription?',
  'cancel.errorTitle': 'That did not work',
  'cancel.retry': 'Try again',
  'cancel.commentRequired': 'Tell us more (required)',
  'cancel.commentMissing': 'Please tell us a little more to continue.',
  'cancel.saved.pending': 'Thanks, we have let the team know. You will get a confirmation once it is in place.',
  'cancel.contactedTitle': 'Thanks for talking to us',
  'cancel.contacted': 'The contact page opened in a new tab. Your subscription stays as it is.',
  'cancel.pause.length': 'How long would you like to pause?',
  'cancel.pause.months.one': '{count} month',
  'cancel.pause.months.other': '{count} months',
  'cancel.pause.resumes': 'Billing resumes on {date}.',
  'cancel.saved.pauseUntil': 'Your subscription is paused until {date}.',
  'cancel.notNow': 'Not now',
  'cancel.slow': 'This is taking longer than usual. You can close this: nothing is cancelled, and the offer stays if it goes through.',
}
