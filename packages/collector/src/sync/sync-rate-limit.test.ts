import { describe, expect, it } from 'vitest';
import { createSyncRateLimiter } from './sync-rate-limit.ts';

describe('the per-user sync rate limit', () => {
  it('lets a burst through, then one request per refill, and says how long to wait', () => {
    let now = 0;
    const limiter = createSyncRateLimiter({ perMinute: 60, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('pk', 'ana').ok)).toEqual([true, true, true]);
    expect(limiter.take('pk', 'ana')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another user of the same key, and the same user id under another key, have their own buckets.
    expect(limiter.take('pk', 'ben').ok).toBe(true);
    expect(limiter.take('pk_other', 'ana').ok).toBe(true);
    now = 1000;
    expect(limiter.take('pk', 'ana').ok).toBe(true);
    expect(limiter.take('pk', 'ana').ok).toBe(false);
  });

  it('rounds a slow refill up to whole seconds', () => {
    let now = 0;
    const limiter = createSyncRateLimiter({ perMinute: 2, burst: 1 }, () => now);
    expect(limiter.take('pk', 'ana').ok).toBe(true);
    now = 10_000;
    // One token per 30 s: 20 s to go.
    expect(limiter.take('pk', 'ana')).toEqual({ ok: false, retryAfterSeconds: 20 });
  });

  it('keeps at most its bound of buckets, forgetting the user idle longest', () => {
    let now = 0;
    const limiter = createSyncRateLimiter({ perMinute: 60, burst: 1 }, () => now, 3);
    for (const user of ['a', 'b', 'c']) limiter.take('pk', user);
    now = 500;
    expect(limiter.take('pk', 'a').ok).toBe(false); // a is now the most recent
    limiter.take('pk', 'd'); // pushes out b, idle longest
    expect(limiter.size()).toBe(3);
    expect(limiter.take('pk', 'a').ok).toBe(false); // a was kept, still empty
    expect(limiter.take('pk', 'b').ok).toBe(true); // b was forgotten: a fresh bucket
  });
});
