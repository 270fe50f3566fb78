// Gzip budgets in bytes. A widget's cost is its chunk plus the shared chunks it pulls in (what
// a page pays the first time that widget shows). Raising a number needs a reason in the commit.
export const budgets = {
  snippet: 1024,
  'linger.js (eager runtime)': 12 * 1024,
  checklist: 9 * 1024,
  badges: 9 * 1024,
  tours: 14 * 1024,
  surveys: 10 * 1024,
  cancel: 10 * 1024,
}
