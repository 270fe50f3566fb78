/**
 * Sticky sampling: a user's place in [0, 1) for one experience is a hash of both ids, so the
 * answer is the same on every visit and device, and independent between experiences (being in
 * one holdout says nothing about another).
 */
export const sampleBucket = (userKey: string, experienceId: string): number => hash32(`${userKey}\n${experienceId}`) / 4294967296

/** FNV-1a, then murmur3's finaliser, as an unsigned 32-bit number (grant-id.ts makes its lanes with it too). */
export function hash32(s: string): number {
  // FNV alone leaves the high bits of near-identical ids (u_1, u_2, …) correlated, and the
  // bucket is read from the high bits.
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * The name an experience's own draw is made under (a survey's `sample`, a cancel flow's holdout):
 * under the bare id it would be the audience rule `{ sample }`'s draw again, and the two shares
 * would overlap instead of multiplying.
 */
export const drawOf = (experienceId: string, draw: 'sample' | 'holdout'): string => `${experienceId}:${draw}`

/** True for about `rate` of users; `rate` ≥ 1 takes everyone, ≤ 0 (or not a number) no one. */
export function inSample(userKey: string, experienceId: string, rate: number): boolean {
  return sampleBucket(userKey, experienceId) < rate
}
