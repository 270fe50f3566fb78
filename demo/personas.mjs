// The demo's signed-in users, as the vendor's own backend knows them. `createdAt` is the
// account's sign-up date: Linger's rules read it, so a customer of 40 days is not "new" on a
// device that has never seen them.
const DAY = 86_400_000
const dateOf = (time) => new Date(time).toISOString().slice(0, 10)

export function personas(now = Date.now()) {
  return {
    u_42: { traits: { name: 'Dana', plan: 'pro', createdAt: dateOf(now) }, account: 'acme-co' },
    u_7: { traits: { name: 'Sam', plan: 'team', createdAt: dateOf(now - 40 * DAY) }, account: 'globex' },
    u_900: { traits: { name: 'Alex', plan: 'starter', createdAt: dateOf(now - 90 * DAY) }, account: 'initech' },
  }
}
