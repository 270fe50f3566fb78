import { describe, expect, it } from 'vitest';
import { groupHashFor, isGroupHashValid, isUserHashValid, userHashFor } from './user-hash.ts';

describe('a write key whose secret came out empty (`--secret pk_live=$SECRET` with the variable unset)', () => {
  it('verifies no one: anyone can compute an HMAC with an empty key, so a forged userHash or groupHash would pass as the vendor’s', () => {
    // What an attacker holding only the public write key computes for the vendor's customer.
    const forged = userHashFor('', 'ceo@customer.example');
    expect(isUserHashValid('', 'ceo@customer.example', forged)).toBe(false);
    expect(isGroupHashValid('', 'eve', 'acme', groupHashFor('', 'eve', 'acme'))).toBe(false);
  });
});
