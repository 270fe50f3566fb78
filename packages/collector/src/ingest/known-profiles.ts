/**
 * Verified users, identities and memberships are only ever inserted (each user a trusted event
 * named, first user of an anonymous id, each person-account pair), never changed or deleted, so
 * inserting one already committed does nothing — yet in a live stream nearly every batch
 * repeats people and accounts seen before, and each costs PostgreSQL an index probe. The
 * collector remembers what it has committed and sends only the rest.
 */

/** What one transaction looked up and wrote; `commit` after the transaction committed. */
export interface ProfileWrites {
  known(key: string): boolean;
  note(key: string): void;
  commit(): void;
}

export interface KnownProfiles {
  writes(): ProfileWrites;
}

/**
 * `limit` bounds the memory (about 100 bytes a key): past it the cache starts over, which
 * costs one more insert-that-does-nothing per key, never a lost row.
 */
export function knownProfiles(limit = 100_000): KnownProfiles {
  const known = new Set<string>();
  return {
    writes() {
      // Remembered only once committed: a rolled-back transaction wrote nothing, and its
      // retry must write these again.
      const noted: string[] = [];
      return {
        known: (key) => known.has(key),
        note: (key) => void noted.push(key),
        commit() {
          if (known.size + noted.length > limit) known.clear();
          for (const key of noted) known.add(key);
        },
      };
    },
  };
}
