import { toJson } from '../json'
import type { ExperienceHost, UserView } from './host'

/**
 * Calls `fn` when the user changed, or what audience rules read of them (traits, group traits):
 * an app that calls identify() on every route with what was already known changes nothing, and a
 * URL-triggered experience must not be asked again for it.
 */
export function onAudienceChange(host: Pick<ExperienceHost, 'user'>, fn: (user: UserView, otherUser: boolean) => void): () => void {
  let last = host.user.get()
  let read = toJson([last.traits, last.groupTraits])
  return host.user.listen((user) => {
    const now = toJson([user.traits, user.groupTraits])
    const otherUser = user.userKey !== last.userKey
    if (!otherUser && now === read) return
    last = user
    read = now
    fn(user, otherUser)
  })
}
