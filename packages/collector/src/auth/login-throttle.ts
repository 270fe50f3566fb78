/**
 * Sign-in attempts per client address: 10 in a row, then one every 6 s. Each attempt takes a
 * token up front (so a burst of parallel guesses is counted before any is checked) and a
 * successful one gives it back: a vendor signing in all day is never slowed down. `at`: the
 * collector's clock (its `now` option), as the sync limiter's, so a test can hold time still.
 */
export function createLoginThrottle(options = { burst: 10, refillSeconds: 6 }, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const bucket = (address: string, t: number) => {
    const b = buckets.get(address) ?? { tokens: options.burst, at: t };
    b.tokens = Math.min(options.burst, b.tokens + (t - b.at) / 1000 / options.refillSeconds);
    b.at = t;
    if (buckets.size > 10_000) buckets.clear();
    buckets.set(address, b);
    return b;
  };
  return {
    /** Seconds to wait, or 0 when the attempt may go ahead (its token is taken). */
    take(address: string, at = now()): number {
      const b = bucket(address, at);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) * options.refillSeconds));
    },
    succeeded(address: string, at = now()): void {
      const b = bucket(address, at);
      b.tokens = Math.min(options.burst, b.tokens + 1);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
