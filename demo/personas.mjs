// The demo's signed-in users, as the vendor's own backend knows them. `createdAt` is the
// account's sign-up date: Linger's rules read it, so a customer of 40 days is not "new" on a
// device that has never seen them. `hoursSaved` / `hoursSavedBefore` are the vendor's own metric
// (for the reviewed month and the one before) for the value review; `displayName` is what a leaderboard shows.
const DAY = 86_400_000
const dateOf = (time) => new Date(time).toISOString().slice(0, 10)

export function personas(now = Date.now()) {
  return {
    u_42: { traits: { name: 'Dana', displayName: 'Dana', plan: 'pro', createdAt: dateOf(now) }, account: 'acme-co' },
    u_7: { traits: { name: 'Sam', displayName: 'Sam', plan: 'team', createdAt: dateOf(now - 40 * DAY), hoursSaved: 14, hoursSavedBefore: 9 }, account: 'globex' },
    u_900: { traits: { name: 'Alex', displayName: 'Alex', plan: 'starter', createdAt: dateOf(now - 90 * DAY), hoursSaved: 3, hoursSavedBefore: 5 }, account: 'initech' },
  }
}
