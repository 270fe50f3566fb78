import type { Catalog } from '../platform/i18n'

/**
 * The leaderboard's English texts travel with its UI chunk (render() adds them to the English catalog,
 * every locale's fallback): a page that never shows it does not load them. Translations stay in
 * platform/messages/<lang>.ts.
 */
export const messages: Catalog = {
  'badges.board': 'Your team',
  'badges.boardUnavailable': 'The leaderboard cannot be loaded right now.',
  'badges.you': 'You',
  'badges.teammate': 'Teammate',
  'badges.boardShowMe': 'Show me on the leaderboard',
}
