import { describe, expect, it } from 'vitest';
import { groupHashFor, isGroupHashValid, isUserHashValid, userHashFor } from './user-hash.ts';

const SECRET = 'sk_test_secret';

describe('userHash and groupHash checks', () => {
  it('verifies what the vendor computed, in either case of hex, and nothing else', () => {
    expect(isUserHashValid(SECRET, 'eve', userHashFor(SECRET, 'eve'))).toBe(true);
    expect(isUserHashValid(SECRET, 'eve', userHashFor(SECRET, 'eve').toUpperCase())).toBe(true);
    expect(isUserHashValid(SECRET, 'eve', userHashFor(SECRET, 'ann'))).toBe(false);
    expect(isUserHashValid(SECRET, 'eve', userHashFor('sk_other', 'eve'))).toBe(false);
    expect(isUserHashValid(SECRET, 'eve', undefined)).toBe(false);
    expect(isGroupHashValid(SECRET, 'eve', 'acme', groupHashFor(SECRET, 'eve', 'acme'))).toBe(true);
    expect(isGroupHashValid(SECRET, 'eve', 'globex', groupHashFor(SECRET, 'eve', 'acme'))).toBe(false);
  });

  it("does not let a user pass her groupHash off as the userHash of a made-up user 'eve\\nacme'", () => {
    // eve's page holds her groupHash for acme (HMAC of "eve\nacme"): it must not vouch for a
    // second, invented person, counted as a verified user in every insight
    const herGroupHash = groupHashFor(SECRET, 'eve', 'acme');
    expect(isUserHashValid(SECRET, 'eve\nacme', herGroupHash)).toBe(false);
    expect(isGroupHashValid(SECRET, 'eve\nacme', 'x', groupHashFor(SECRET, 'eve', 'acme\nx'))).toBe(false);
  });
});
