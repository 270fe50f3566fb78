import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

const KEY = 'pk_vendor';
const NOISY = '203.0.113.7';

/** A limiter on a clock the test moves: 100 events a second, bursts of 1,000, per key. */
function limiter() {
  let t = 0;
  const limit = createRateLimiter({ perSecond: 100, burst: 1000 }, () => t);
  return { limit, advance: (seconds: number) => (t += seconds * 1000) };
}

/** Sends batches of `size` from `client` until one is refused; the events accepted before. */
function sendUntilRefused(limit: ReturnType<typeof limiter>['limit'], client: string, size: number, next = (i: number) => client): number {
  let accepted = 0;
  for (let i = 0; i < 1000; i++) {
    if (!limit.take(KEY, size, next(i)).ok) return accepted;
    accepted += size;
  }
  throw new Error('never refused');
}

describe('the ingestion rate limit, per write key and per client', () => {
  it('a browser stuck in a loop is refused once it has spent the key, while the vendor\'s other users still send theirs', () => {
    const { limit } = limiter();
    expect(sendUntilRefused(limit, NOISY, 50)).toBe(1000);
    // Ten other users, each a batch of 40: every one is taken.
    const others = Array.from({ length: 10 }, (_, i) => limit.take(KEY, 40, `198.51.100.${i + 1}`));
    expect(others.every((decision) => decision.ok)).toBe(true);
    // The loop itself stays refused, and is told to wait.
    const again = limit.take(KEY, 50, NOISY);
    expect(again).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
  });

  it('counts an IPv6 client by its /64: hopping between its addresses is one client', () => {
    const { limit } = limiter();
    expect(sendUntilRefused(limit, '', 50, (i) => `2001:db8:1:2::${(i + 1).toString(16)}`)).toBe(1000);
    expect(limit.take(KEY, 50, '2001:db8:1:2:ffff::1').ok).toBe(false);
    expect(limit.take(KEY, 40, '2001:db8:9:9::1').ok).toBe(true);
  });

  it('still lets a lone sender (one server relaying every event) use the key\'s whole burst and rate', () => {
    const { limit, advance } = limiter();
    expect(sendUntilRefused(limit, '10.0.0.5', 100)).toBe(1000);
    for (let second = 0; second < 5; second++) {
      advance(1);
      expect(limit.take(KEY, 100, '10.0.0.5').ok).toBe(true);
    }
  });

  it('keeps the key\'s limit against many clients: past twice its burst, everyone waits for the rate', () => {
    const { limit } = limiter();
    let accepted = 0;
    for (let i = 0; i < 500; i++) if (limit.take(KEY, 10, `192.0.2.${i % 250}`).ok) accepted += 10;
    expect(accepted).toBeLessThanOrEqual(2000);
    expect(accepted).toBeGreaterThanOrEqual(1000);
  });
});
