// The demo's signed-in users, as the vendor's own backend knows them. `createdAt` is the
// account's sign-up date: Linger's rules read it, so a customer of 40 days is not "new" on a
// device that has never seen them. `hoursSaved` / `hoursSavedBefore` are the vendor's own metric
// (for the reviewed month and the one before) for the value review; `displayName` is what a leaderboard shows.
// A date alone is a day on the user's calendar to Linger (not UTC's): `npm start` runs where the
// browser is, so the days are this machine's. Counted in days, not hours, across a clock change.
const dateOf = (now, days = 0) => {
  const d = new Date(now)
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate() + days)
  return [day.getFullYear(), day.getMonth() + 1, day.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-')
}

export function personas(now = Date.now()) {
  return {
    // Dana's Pro trial converts in a week: the renewal reminder asks her to check her card.
    u_42: { traits: { name: 'Dana', displayName: 'Dana', plan: 'pro', createdAt: dateOf(now), paymentStatus: 'active', billingInterval: 'month', subscribedAt: dateOf(now), renewsAt: dateOf(now, 7) }, account: 'acme-co' },
    // Sam's card failed two days ago: the payment banner (the wall comes after 7 days). Once the
    // card is updated, the annual-plan offer (after a month on a monthly plan) is next.
    u_7: {
      traits: {
        name: 'Sam', displayName: 'Sam', plan: 'team', createdAt: dateOf(now, -40), hoursSaved: 14, hoursSavedBefore: 9,
        paymentStatus: 'past_due', pastDueSince: dateOf(now, -2), billingInterval: 'month', subscribedAt: dateOf(now, -40), renewsAt: dateOf(now, 20),
      },
      account: 'globex',
    },
    u_900: { traits: { name: 'Alex', displayName: 'Alex', plan: 'starter', createdAt: dateOf(now, -90), hoursSaved: 3, hoursSavedBefore: 5 }, account: 'initech' },
  }
}
