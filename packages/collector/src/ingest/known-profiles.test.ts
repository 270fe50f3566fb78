import { describe, expect, it } from 'vitest';
import { knownProfiles } from './known-profiles.ts';

describe('identities and memberships the collector remembers as committed', () => {
  it('knows a key only after the transaction that wrote it committed', () => {
    const profiles = knownProfiles();
    const first = profiles.writes();
    first.note('m\u0000key\u0000u1\u0000acct');
    // a concurrent batch still writes it: the first may yet roll back
    expect(profiles.writes().known('m\u0000key\u0000u1\u0000acct')).toBe(false);
    first.commit();
    expect(profiles.writes().known('m\u0000key\u0000u1\u0000acct')).toBe(true);
  });

  it('forgets what a rolled-back transaction noted, so its retry writes it again', () => {
    const profiles = knownProfiles();
    profiles.writes().note('i\u0000key\u0000anon-1'); // never committed
    expect(profiles.writes().known('i\u0000key\u0000anon-1')).toBe(false);
  });

  it('starts over past its limit instead of growing without bound', () => {
    const profiles = knownProfiles(3);
    const first = profiles.writes();
    for (const key of ['a', 'b', 'c']) first.note(key);
    first.commit();
    const second = profiles.writes();
    second.note('d');
    second.commit();
    const now = profiles.writes();
    expect(['a', 'b', 'c', 'd'].filter((key) => now.known(key))).toEqual(['d']);
  });
});
