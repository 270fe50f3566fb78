/**
 * Who an event belongs to. A user is their user id. An anonymous visitor linked to no one is their
 * anonymousId behind `ANONYMOUS_MARK`, a character ingestion refuses at the start of a userId
 * (ingest/message-schema.ts): user ids are often predictable (u_1, u_2, …), and anyone holding the
 * public write key could send `{ anonymousId: "u_42" }` before u_42 ever signed in. Were persons
 * bare ids, those events would be u_42's NPS answers, cancellations and active days from then on.
 * A visitor an identify links to a user (`identities`) is that user, as before.
 */
export const ANONYMOUS_MARK = '\u0001';

/** The person of anonymous id `anonymousId` (an SQL expression) when it is linked to no one. */
export const anonymousPerson = (anonymousId: string) => `(chr(1) || ${anonymousId})`;

/** The anonymous id of `person` (an SQL expression) when it is an anonymous visitor's; null for a user. */
export const anonymousIdOf = (person: string) => `(case when left(${person}, 1) = chr(1) then substr(${person}, 2) end)`;

/** The person of an event (SQL expressions): its user, else the user its anonymous id is linked to, else the anonymous visitor. */
export const personOf = (userId: string, linkedUser: string, anonymousId: string) =>
  `coalesce(${userId}, ${linkedUser}, ${anonymousPerson(anonymousId)})`;

/** The person of an anonymous actor of the rollups (`actor`, `anonymous`), through its link `linkedUser`. */
export const actorPerson = (actor: string, anonymous: string, linkedUser: string) =>
  `case when ${anonymous} then coalesce(${linkedUser}, ${anonymousPerson(actor)}) else ${actor} end`;
