import type { KeyValueStorage } from './platform'
import { messageId } from './events'
import type { Properties } from './events'
import { fromJson, toJson } from './json'

export interface Identity {
  anonymousId: string
  userId?: string
  userHash?: string
  groupId?: string
  /** The vendor server's HMAC of userId + "\n" + groupId: vouches that the user is in the group. */
  groupHash?: string
  /** The first user signed in as this anonymousId: the device's person (claimant, experiences/across-tabs.ts). */
  first?: string
  traits: Properties
  groupTraits: Properties
}

/** One identity per device: every tab reads it, and follows another tab's change of it. */
export const IDENTITY_KEY = 'linger:identity'

/** The key experiences and usage are stored under: the user once known, else the device. */
export function userKey(id: Identity): string {
  return id.userId ? `u:${id.userId}` : `a:${id.anonymousId}`
}

// What the collector takes as an id (at most 200 characters, no NUL; an empty one is not sent): every event carries them.
const isId = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= 200 && !v.includes('\0'))

/**
 * A user id the collector refuses (U+0001 first: its mark of a visitor's person) or cannot store
 * (a NUL: each event set aside, unsaid). Stored, it was put on every event of the device.
 */
export const badUserId = (v: string) => /^\x01|\0/.test(v)

/**
 * The stored identity, or undefined when there is none, or not one Linger wrote (corrupt,
 * damaged, another script's): a stored id the collector refuses was once put on every event of
 * the device (all refused, until a reset()), and null traits are read by every audience rule on
 * a trait (Object.hasOwn throws on null).
 */
export function readIdentity(storage: KeyValueStorage): Identity | undefined {
  try {
    const s = fromJson(storage.get(IDENTITY_KEY) ?? 'null')
    if (s?.anonymousId && [s.anonymousId, s.userId, s.groupId].every(isId) && !badUserId(s.userId ?? '') && s.traits !== null && s.groupTraits !== null)
      return { traits: {}, groupTraits: {}, ...s }
  } catch {
    /* corrupt: as if there were none */
  }
}

export function loadIdentity(storage: KeyValueStorage, random: () => number): Identity {
  const known = readIdentity(storage)
  if (known) return known
  const fresh = resetIdentity(random)
  saveIdentity(storage, fresh)
  return fresh
}

export function saveIdentity(storage: KeyValueStorage, id: Identity): void {
  storage.set(IDENTITY_KEY, toJson(id))
}

/**
 * identify: a new user id keeps the device's anonymousId, so the collector can stitch them. The
 * account (group) was the last user's: another user drops it, its traits and its groupHash (Ana's
 * past-due workspace would put its payment wall, and its audience, in front of Bob). A visitor
 * who signs in keeps it, as the vendor set it for the user they sign in as.
 */
export function identifyReducer(id: Identity, userId: string, traits: Properties | undefined, userHash: string | undefined): Identity {
  const sameUser = id.userId === userId
  const next: Identity = {
    ...id,
    userId,
    userHash: userHash ?? (sameUser ? id.userHash : undefined),
    traits: { ...(sameUser ? id.traits : {}), ...traits },
    first: id.first ?? id.userId ?? userId,
  }
  if (id.userId !== undefined && !sameUser) {
    delete next.groupHash
    delete next.groupId
    next.groupTraits = {}
  }
  return next
}

/**
 * group: the same account again adds to its traits, as identify() does a user's and the
 * collector does the group's (a route that only names the account must not wipe the plan and
 * billing traits audiences read); another account starts from its own. The groupHash vouches for
 * this call's group only: a call without one drops the last one.
 */
export function groupReducer(id: Identity, groupId: string, traits: Properties, groupHash: string | undefined): Identity {
  return { ...id, groupId, groupTraits: { ...(id.groupId === groupId ? id.groupTraits : {}), ...traits }, groupHash }
}

/** reset: a new anonymous person on this device (shared computers, logout). */
export function resetIdentity(random: () => number): Identity {
  return { anonymousId: messageId(random), traits: {}, groupTraits: {} }
}
