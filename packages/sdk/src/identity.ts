import type { KeyValueStorage } from './platform'
import { messageId } from './events'
import type { Properties } from './events'
import { fromJson, toJson } from './json'

export interface Identity {
  anonymousId: string
  userId?: string
  userHash?: string
  groupId?: string
  traits: Properties
  groupTraits: Properties
}

const KEY = 'linger:identity'

/** The key experiences and usage are stored under: the user once known, else the device. */
export function userKey(id: Identity): string {
  return id.userId ? `u:${id.userId}` : `a:${id.anonymousId}`
}

export function loadIdentity(storage: KeyValueStorage, random: () => number): Identity {
  const raw = storage.get(KEY)
  if (raw) {
    try {
      const parsed = fromJson(raw) as Partial<Identity>
      if (parsed && typeof parsed.anonymousId === 'string' && parsed.anonymousId) {
        return { traits: {}, groupTraits: {}, ...parsed, anonymousId: parsed.anonymousId }
      }
    } catch {
      /* corrupt: start over below */
    }
  }
  const fresh: Identity = { anonymousId: messageId(random), traits: {}, groupTraits: {} }
  storage.set(KEY, toJson(fresh))
  return fresh
}

export function saveIdentity(storage: KeyValueStorage, id: Identity): void {
  storage.set(KEY, toJson(id))
}

/** identify: a new user id keeps the device's anonymousId, so the collector can stitch them. */
export function identifyReducer(id: Identity, userId: string, traits: Properties | undefined, userHash: string | undefined): Identity {
  const sameUser = id.userId === userId
  return {
    ...id,
    userId,
    userHash: userHash ?? (sameUser ? id.userHash : undefined),
    traits: { ...(sameUser ? id.traits : {}), ...traits },
  }
}

/** reset: a new anonymous person on this device (shared computers, logout). */
export function resetIdentity(random: () => number): Identity {
  return { anonymousId: messageId(random), traits: {}, groupTraits: {} }
}
