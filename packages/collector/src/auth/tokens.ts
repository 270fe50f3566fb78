import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An unguessable secret (256 bits), URL- and header-safe, with a prefix saying what it is. */
export const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * Session ids and API tokens are stored as SHA-256 only: a copy of the database does not let
 * anyone sign in. (Plain SHA-256 suffices: the secrets are random, not passwords.)
 */
export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
