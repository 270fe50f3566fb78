import { hash32 } from '../sample'
import type { ExperienceHost } from './host'

/**
 * The messageId of something a user gets once ever (`badge:<id>`, `checklist:<id>:<task>`): a
 * v5-shaped UUID made from the write key, the user and the grant, the same in every tab and on
 * every device, so a collector that deduplicates by messageId keeps one however many send it.
 */
export const grantMessageId = (host: ExperienceHost, grant: string): string => derive(`${host.options.key ?? ''}\n${host.user.get().userKey}\n${grant}`)

// Four lanes of sample.ts's hash, each over the text behind its own first character (a lane's
// seed): 128 bits of spread, not a secret (anyone may send any messageId anyway).
function derive(s: string): string {
  let hex = ''
  for (let lane = 1; lane < 5; lane++) hex += hash32(String.fromCharCode(lane) + s).toString(16).padStart(8, '0')
  return hex.replace(/(.{8})(.{4}).(.{3}).(.{3})/, '$1-$2-5$3-8$4-')
}
