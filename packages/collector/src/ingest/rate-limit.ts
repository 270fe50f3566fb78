import { clientKey } from '../auth/login-throttle.ts';

export interface RateLimitOptions {
  /** Events per second refilled into each key's bucket. */
  perSecond: number;
  /** Most events a key may send at once after a quiet period. */
  burst: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Each client's share of its key's rate and burst, spendable even when others emptied the key. */
const CLIENT_SHARE = 0.1;
/** Clients remembered at once: one idle long enough is full again, so forgetting it changes nothing. */
const MAX_CLIENTS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token bucket per write key, counted in events so one huge batch costs what many small ones
 * do. A batch larger than the burst costs the whole burst instead of never passing.
 *
 * Every browser of a vendor shares the key, so one client in a loop could spend it all and the
 * vendor's other users would lose their events. Each client (an IPv4 address, an IPv6 /64: see
 * clientKey) also has a share of the key's rate and burst: a batch within its share is taken
 * even from a key others emptied, by going into debt down to minus one burst. So a lone sender
 * (a pipeline relaying every event from one address) still has the key's whole rate and burst,
 * a noisy client is held to the key's refill once it has spent the burst, and the key as a
 * whole never passes its rate (bursts of at most twice its burst), however many clients.
 */
export function createRateLimiter(options: RateLimitOptions, now: () => number = Date.now) {
  const keys = new Map<string, Bucket>();
  // Insertion order = least recently used first: each request re-inserts its client's bucket.
  const clients = new Map<string, Bucket>();
  const clientBurst = options.burst * CLIENT_SHARE;
  const refill = (bucket: Bucket, t: number, perSecond: number, burst: number) => {
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
  };
  return {
    /** `client`: the sender's address; '' when unknown (all such senders are one client). */
    take(key: string, events: number, client = ''): RateDecision {
      const t = now();
      const keyBucket = keys.get(key) ?? { tokens: options.burst, at: t };
      refill(keyBucket, t, options.perSecond, options.burst);
      keys.set(key, keyBucket);
      const id = `${key}\u0000${clientKey(client)}`;
      const found = clients.get(id);
      const own = found ?? { tokens: clientBurst, at: t };
      refill(own, t, options.perSecond * CLIENT_SHARE, clientBurst);
      clients.delete(id);
      if (!found && clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
      clients.set(id, own);

      const cost = Math.min(Math.max(events, 1), options.burst);
      const withinShare = own.tokens >= cost && keyBucket.tokens - cost >= -options.burst;
      if (keyBucket.tokens >= cost || withinShare) {
        keyBucket.tokens -= cost;
        // A client that spent the key's tokens has spent its share with them (never below 0:
        // it gets its share back at the share's rate, as everyone does).
        own.tokens = Math.max(0, own.tokens - cost);
        return { ok: true };
      }
      const keyWait = (cost - keyBucket.tokens) / options.perSecond;
      const shareWait = cost > clientBurst
        ? Infinity
        : Math.max((cost - own.tokens) / (options.perSecond * CLIENT_SHARE), (cost - options.burst - keyBucket.tokens) / options.perSecond);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.min(keyWait, shareWait))) };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
