import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the vendor's backend computes to vouch for a userId: hex HMAC-SHA256(secret, userId). */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

/** Compares in constant time, so the hash cannot be guessed byte by byte from response times. */
export function isUserHashValid(secret: string, userId: string, userHash: unknown): boolean {
  if (typeof userHash !== 'string') return false;
  const expected = Buffer.from(userHashFor(secret, userId), 'utf8');
  const given = Buffer.from(userHash.toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
