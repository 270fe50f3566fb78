import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.ts';

const AT = Date.parse('2026-03-02T10:00:00.000Z');

/** Ten guesses from each address in turn, the clock held still; how many went ahead. */
function guesses(addresses: readonly string[]): number {
  const throttle = createLoginThrottle(undefined, () => AT);
  let allowed = 0;
  for (const address of addresses) for (let i = 0; i < 10; i++) if (throttle.take(address) === 0) allowed += 1;
  return allowed;
}

describe('sign-in throttling per client', () => {
  it('gives a guesser with a home IPv6 connection (a /64 of addresses) 10 tries, not 10 per address', () => {
    // a home connection gets a whole /64: hopping to the next address must not refill the bucket
    const hops = Array.from({ length: 50 }, (_, i) => `2001:db8:aa:bb:${i.toString(16)}::${i + 1}`);
    expect(guesses(hops)).toBe(10);
    // the same /64 however it is written (compressed, full, upper case, with a zone)
    expect(guesses(['2001:db8:0:1::1', '2001:0DB8:0000:0001:ffff:ffff:ffff:ffff', '2001:db8::1:0:0:0:7', 'fe80::1%eth0', 'fe80::2%eth1'])).toBe(20);
  });

  it('keeps two neighbours on different /64s apart', () => {
    expect(guesses(['2001:db8:0:1::1', '2001:db8:0:2::1'])).toBe(20);
  });

  it('counts IPv4 clients of a dual-stack collector (::ffff:a.b.c.d) per IPv4 address, not all as one', () => {
    expect(guesses(['::ffff:198.51.100.7', '::ffff:198.51.100.8', '198.51.100.9'])).toBe(30);
    expect(guesses(['::ffff:198.51.100.7', '198.51.100.7'])).toBe(10);
  });

  it('keeps a guesser who spent their tries waiting, however many other addresses try meanwhile', () => {
    const throttle = createLoginThrottle(undefined, () => AT);
    for (let i = 0; i < 10; i++) throttle.take('203.0.113.5');
    // a botnet (or one /48) sprays one attempt from each of 20,000 addresses
    for (let i = 0; i < 20_000; i++) throttle.take(`2001:db8:${(i >> 8).toString(16)}:${(i & 255).toString(16)}::1`);
    expect(throttle.take('203.0.113.5')).toBeGreaterThan(0);
  });
});
