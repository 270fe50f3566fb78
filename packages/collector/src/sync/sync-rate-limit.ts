export interface SyncRateLimitOptions {
  /** Requests per minute refilled into each (write key, user) bucket. */
  perMinute: number;
  /** Most requests a user may make at once after a quiet spell. Default: perMinute. */
  burst?: number;
}

export type SyncRateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Enough users for a busy collector; past it the buckets that sat idle longest go first. */
const MAX_BUCKETS = 100_000;

/**
 * Token bucket per write key + user for the sync routes (`/v1/state`, `/v1/leaderboard`): one
 * request costs one token. Counted per verified user, so one user stuck in a loop cannot slow
 * anyone else down, and nobody can spend another user's bucket without their userHash.
 * The map never holds more than MAX_BUCKETS: a new user then pushes out the one idle longest,
 * whose bucket is almost surely full again (forgetting a full bucket changes nothing).
 */
export function createSyncRateLimiter(options: SyncRateLimitOptions, now: () => number = Date.now, maxBuckets = MAX_BUCKETS) {
  const perMs = options.perMinute / 60_000;
  const burst = Math.max(1, options.burst ?? options.perMinute);
  // Insertion order = least recently used first: each take re-inserts its bucket.
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(writeKey: string, userId: string): SyncRateDecision {
      const t = now();
      const key = `${writeKey}\n${userId}`;
      const found = buckets.get(key);
      const bucket = found ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      buckets.delete(key);
      if (!found && buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
    /** How many users have a bucket (for the test of the bound). */
    size: () => buckets.size,
  };
}

export type SyncRateLimiter = ReturnType<typeof createSyncRateLimiter>;

/** The default: a device syncing every change (debounced to 1 s) and reading the leaderboard stays far below it. */
export const DEFAULT_SYNC_RATE: Required<SyncRateLimitOptions> = { perMinute: 60, burst: 60 };
