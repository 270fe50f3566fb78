export interface RateLimitOptions {
  /** Events per second refilled into each key's bucket. */
  perSecond: number;
  /** Most events a key may send at once after a quiet period. */
  burst: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Token bucket per write key, counted in events so one huge batch costs what many small ones
 * do. A batch larger than the burst costs the whole burst instead of never passing.
 */
export function createRateLimiter(options: RateLimitOptions, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string, events: number): RateDecision {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: t };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
      bucket.at = t;
      buckets.set(key, bucket);
      const cost = Math.min(Math.max(events, 1), options.burst);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { ok: true };
      }
      const wait = (cost - bucket.tokens) / options.perSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
