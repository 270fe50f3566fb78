// Gzip budgets in bytes, checked by scripts/size.test.ts in `npm test`. Each lazy row is what it
// adds beyond what is always loaded before it (see scripts/size.mjs). Raising a number needs a
// reason in the commit message.
export const budgets = {
  snippet: 1024,
  // Every page view of every vendor pays this one.
  'linger.js (eager runtime)': 12 * 1024,
  // Loaded beside the flows document: zod/mini alone is ~10 KB of it.
  'engine (config, rules, scheduler)': 18 * 1024,
  // Loaded by the first widget a page shows: Preact, Shadow DOM surfaces, theme, English.
  'widgets platform': 11 * 1024,
  'checklist UI': 3.5 * 1024,
  'badges UI': 3 * 1024,
  'surveys UI': 4 * 1024,
  'cancel UI': 3 * 1024,
  // Includes @floating-ui/dom.
  'tours UI': 10 * 1024,
  'checklist logic': 2 * 1024,
  'badges logic': 2 * 1024,
  'surveys logic': 2 * 1024,
  'cancel logic': 2 * 1024,
  'tours logic': 2 * 1024,
}
