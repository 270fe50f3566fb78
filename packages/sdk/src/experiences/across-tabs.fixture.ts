import type { FakePlatform } from '../fake-platform'

/**
 * The claims of one browser's lock manager (withLock, asked if available), for tests: what a tab
 * claims is held until it lets go (CLAIM_MS on its clock, or at once), and another tab's claim of
 * a held name is refused. `claimed` lists the names held now.
 */
export function heldClaims() {
  const claimed = new Set<string>()
  const claiming = (platform: FakePlatform): FakePlatform =>
    Object.assign(platform, {
      async withLock(name: string, fn: () => Promise<void>) {
        if (claimed.has(name)) return false
        claimed.add(name)
        await fn()
        claimed.delete(name)
        return true
      },
    })
  return { claimed, claiming }
}
