// Gzip budgets in bytes, checked by scripts/size.test.ts in `npm test`. Each lazy row is what it
// adds beyond what is always loaded before it (see scripts/size.mjs). Raising a number needs a
// reason in the commit message.
export const budgets = {
  snippet: 1024,
  // Every page view of every vendor pays this one.
  'linger.js (eager runtime)': 11.5 * 1024,
  // Loaded as the runtime starts: fetching the flows document, the full check of init options.
  'start (flows loading, options check)': 4.5 * 1024,
  // Loaded only when the flows document has something to show: audience rules (incremental),
  // the scheduler, the cache of validated flows. zod is not in it any more.
  'engine (config, rules, scheduler)': 5 * 1024,
  // zod/mini and the flows schema: loaded only for a document this browser has not validated
  // before (config/flows-cache.ts); a returning page never loads it.
  'flows validation (zod; a document not seen before)': 13 * 1024,
  // Loaded by the first widget a page shows: Preact, Shadow DOM surfaces, theme, English.
  'widgets platform': 11 * 1024,
  'checklist UI': 3.5 * 1024,
  'badges UI': 3 * 1024,
  'surveys UI': 4 * 1024,
  'cancel UI': 3 * 1024,
  // Both include the shared notice banner and modal (notice/notice.tsx); the feed launcher is the announcements' own.
  'announcements UI': 3.75 * 1024,
  'billing UI': 2.5 * 1024,
  // Includes @floating-ui/dom.
  'tours UI': 10 * 1024,
  'checklist logic': 2 * 1024,
  'badges logic': 2 * 1024,
  'surveys logic': 2 * 1024,
  'cancel logic': 2 * 1024,
  'tours logic': 2 * 1024,
  'announcements logic': 2.25 * 1024,
  // Payment banner and wall, renewal reminders, the annual-plan offer.
  'billing logic': 3.75 * 1024,
}
