import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the vendor's backend computes to vouch for a userId: hex HMAC-SHA256(secret, userId). */
export function userHashFor(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

/**
 * What the vendor's backend computes to vouch that a user belongs to an account (group):
 * hex HMAC-SHA256(secret, userId + "\n" + groupId), with the key's userHash secret.
 */
export function groupHashFor(secret: string, userId: string, groupId: string): string {
  return userHashFor(secret, `${userId}\n${groupId}`);
}

/** Compares in constant time, so the hash cannot be guessed byte by byte from response times. */
function sameHex(expectedHex: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(expectedHex, 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A userId holding a newline never verifies: the groupHash signs `userId + "\n" + groupId` with
 * the same secret, so eve's groupHash for acme would otherwise be a valid userHash of a made-up
 * user "eve\nacme" (and a groupHash of hers for "acme\nx" one of that user's for "x").
 */
const signable = (userId: string) => !userId.includes('\n');

/**
 * An empty secret (`--secret pk_live=$SECRET` with the variable unset) vouches for no one:
 * anyone can compute an HMAC with an empty key, so every forged userHash would verify.
 */
const usable = (secret: string) => secret !== '';

export function isUserHashValid(secret: string, userId: string, userHash: unknown): boolean {
  return usable(secret) && signable(userId) && sameHex(userHashFor(secret, userId), userHash);
}

export function isGroupHashValid(secret: string, userId: string, groupId: string, groupHash: unknown): boolean {
  return usable(secret) && signable(userId) && sameHex(groupHashFor(secret, userId, groupId), groupHash);
}
