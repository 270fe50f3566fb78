import { ANONYMOUS_MARK } from '../db/persons.ts';

/**
 * A person as the API gives it: a user by `userId`, an anonymous visitor linked to no one by
 * `anonymousId` (the other null), in Segment's own words. The collector's key for the visitor
 * (db/persons.ts) starts with a control character, which API clients (a BI script, a CSV) would
 * carry into their ids; a bare anonymousId alone would make the visitor whose anonymousId is
 * "u_42" look like the user u_42 to a client joining on it.
 */
export interface PersonId {
  userId: string | null;
  anonymousId: string | null;
  /** The user's id, null for an anonymous visitor: `userId` under the name clients written before it read. */
  person: string | null;
}

export const personId = (person: string): PersonId =>
  person.startsWith(ANONYMOUS_MARK)
    ? { userId: null, anonymousId: person.slice(ANONYMOUS_MARK.length), person: null }
    : { userId: person, anonymousId: null, person };
