import type { Catalog } from '../platform/i18n'

/**
 * The value review's English texts travel with its UI chunk (render() adds them to the English catalog,
 * every locale's fallback): a page that never shows it does not load them. Translations stay in
 * platform/messages/<lang>.ts.
 */
export const messages: Catalog = {
  'review.soFar': '{month} so far',
  'review.change': '{change} vs {month}',
  'review.changeSoFar': '{change} vs the same days of {month}',
  'review.same': 'Same as {month}',
  'review.empty': 'Nothing to review for this month yet.',
  'review.close': 'Close the review',
}
