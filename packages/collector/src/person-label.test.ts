import { describe, expect, it } from 'vitest';
import { personLabel } from '../dashboard/src/format.ts';

describe("the dashboard's name for a person", () => {
  it('shows an anonymous visitor whose anonymousId is a user id as a visitor, not as that user', () => {
    expect(personLabel({ userId: null, anonymousId: 'u_42' })).toBe('anonymous visitor u_42');
    expect(personLabel({ userId: 'u_42', anonymousId: null })).toBe('u_42');
  });
});
