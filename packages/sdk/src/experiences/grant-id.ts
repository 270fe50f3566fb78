import type { ExperienceHost } from './host'

/**
 * The messageId of something a user gets once ever (`badge:<id>`, `checklist:<id>:<task>`): a
 * v5-shaped UUID made from the write key, the user and the grant, the same in every tab and on
 * every device, so a collector that deduplicates by messageId keeps one however many send it.
 */
export const grantMessageId = (host: ExperienceHost, grant: string): string => derive(`${host.options.key ?? ''}\n${host.user.get().userKey}\n${grant}`)

// Four FNV-1a lanes, each finished with murmur3's mixer (as sample.ts does for one): 128 bits
// of spread, not a secret (anyone may send any messageId anyway).
function derive(s: string): string {
  let hex = ''
  for (let lane = 1; lane < 5; lane++) {
    let h = Math.imul(0x811c9dc5 ^ lane, 0x01000193)
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    hex += ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, '0')
  }
  return hex.replace(/(.{8})(.{4}).(.{3}).(.{3})/, '$1-$2-5$3-8$4-')
}
