import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who a client is, for counting: its IPv4 address (also when a dual-stack socket reports it as
 * `::ffff:a.b.c.d`), or the /64 of its IPv6 address. An IPv6 home or cloud connection gets a
 * whole /64 and can hop through its 2^64 addresses, so each address alone would be a fresh
 * budget. Anything else (a name, `session:<digest>`) is its own key.
 */
export function clientKey(address: string): string {
  const bare = address.replace(/%.*$/s, '');
  if (!isIPv6(bare)) return address;
  // The 8 groups, as numbers: `::` fills in the zeros, a dotted IPv4 tail is the last two.
  const half = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => {
      if (!isIPv4(g)) return [Number.parseInt(g, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
      return [a * 256 + b, c * 256 + d];
    });
  const [head = '', tail] = bare.split('::');
  const front = half(head);
  const back = tail === undefined ? [] : half(tail);
  const groups = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** Clients remembered at once: a bucket idle a minute is full again, so forgetting it changes nothing. */
const MAX_CLIENTS = 100_000;

/**
 * Sign-in attempts per client (see clientKey): 10 in a row, then one every 6 s. Each attempt takes a
 * token up front (so a burst of parallel guesses is counted before any is checked) and a
 * successful one gives it back: a vendor signing in all day is never slowed down. `at`: the
 * collector's clock (its `now` option), as the sync limiter's, so a test can hold time still.
 */
export function createLoginThrottle(options = { burst: 10, refillSeconds: 6 }, now: () => number = Date.now) {
  // Insertion order = least recently used first: each attempt re-inserts its bucket.
  const buckets = new Map<string, { tokens: number; at: number }>();
  const bucket = (client: string, t: number) => {
    const key = clientKey(client);
    const found = buckets.get(key);
    const b = found ?? { tokens: options.burst, at: t };
    b.tokens = Math.min(options.burst, b.tokens + (t - b.at) / 1000 / options.refillSeconds);
    b.at = t;
    buckets.delete(key);
    // Forget the client idle longest, never everyone: clearing the map let anyone with enough
    // addresses hand every guesser (themselves included) a fresh set of tries.
    if (!found && buckets.size >= MAX_CLIENTS) buckets.delete(buckets.keys().next().value!);
    buckets.set(key, b);
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
