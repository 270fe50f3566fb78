// The demo's signed-in users, as the vendor's own backend knows them. `createdAt` is the
// account's sign-up date: Linger's rules read it, so a customer of 40 days is not "new" on a
// device that has never seen them. `hoursSaved` / `hoursSavedBefore` are the vendor's own metric
// (for the reviewed month and the one before) for the value review; `displayName` is what a leaderboard shows.
const DAY = 86_400_000
const dateOf = (time) => new Date(time).toISOString().slice(0, 10)

export function personas(now = Date.now()) {
  return {
    // Dana's Pro trial converts in a week: the renewal reminder asks her to check her card.
    u_42: { traits: { name: 'Dana', displayName: 'Dana', plan: 'pro', createdAt: dateOf(now), paymentStatus: 'active', billingInterval: 'month', subscribedAt: dateOf(now), renewsAt: dateOf(now + 7 * DAY) }, account: 'acme-co' },
    // Sam's card failed two days ago: the payment banner (the wall comes after 7 days). Once the
    // card is updated, the annual-plan offer (after a month on a monthly plan) is next.
    u_7: {
      traits: {
        name: 'Sam', displayName: 'Sam', plan: 'team', createdAt: dateOf(now - 40 * DAY), hoursSaved: 14, hoursSavedBefore: 9,
        paymentStatus: 'past_due', pastDueSince: dateOf(now - 2 * DAY), billingInterval: 'month', subscribedAt: dateOf(now - 40 * DAY), renewsAt: dateOf(now + 20 * DAY),
      },
      account: 'globex',
    },
    u_900: { traits: { name: 'Alex', displayName: 'Alex', plan: 'starter', createdAt: dateOf(now - 90 * DAY), hoursSaved: 3, hoursSavedBefore: 5 }, account: 'initech' },
  }
}
