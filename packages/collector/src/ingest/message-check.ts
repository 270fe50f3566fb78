import { ANONYMOUS_MARK } from '../db/persons.ts';
import { isoDateTime, messageTypes, type Message } from './message-schema.ts';

/**
 * The shape nearly every event has (string ids, an ISO timestamp, plain-object properties),
 * checked by hand: zod took about a tenth of the collector's CPU per event, most of it
 * copying objects that were valid as sent. Anything outside this shape returns undefined and
 * goes through `messageSchema`, which also writes the errors, so this never decides that an
 * event is wrong, and it accepts only what the schema accepts, as the schema would return it
 * (no transforms apply to this shape).
 */
export function checkCommonMessage(raw: unknown): Message | undefined {
  if (!isPlainObject(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  const type = m['type'];
  if (!isMessageType(type) || !isText(m['messageId'], 1)) return undefined;
  if (!optional(m['event'], (v) => isText(v, 1)) || !nullish(m['name'], (v) => isText(v, 0))) return undefined;
  for (const field of ID_FIELDS) if (!nullish(m[field], (v) => isText(v, 1))) return undefined;
  if (!optional(m['timestamp'], isTime) || !optional(m['sentAt'], isTime)) return undefined;
  for (const field of RECORD_FIELDS) if (!optional(m[field], isPlainObject)) return undefined;
  // The schema's own checks across fields.
  if (m['userId'] == null && m['anonymousId'] == null) return undefined;
  if (typeof m['userId'] === 'string' && m['userId'].startsWith(ANONYMOUS_MARK)) return undefined;
  if (type === 'track' && m['event'] === undefined) return undefined;
  if (type === 'group' && m['groupId'] == null) return undefined;
  return m as Message;
}

const ID_FIELDS = ['userId', 'anonymousId', 'groupId', 'previousId'] as const;
const RECORD_FIELDS = ['properties', 'traits', 'context'] as const;
const TYPES: ReadonlySet<unknown> = new Set(messageTypes);
const TIME = isoDateTime.def.pattern;

const isMessageType = (value: unknown): value is Message['type'] => TYPES.has(value);
const isText = (value: unknown, min: number) => typeof value === 'string' && value.length >= min && value.length <= 200;
const isTime = (value: unknown) => typeof value === 'string' && (TIME ? TIME.test(value) : isoDateTime.safeParse(value).success);
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);
const nullish = (value: unknown, check: (value: unknown) => boolean) => value == null || check(value);

/**
 * An object as JSON.parse makes it. An own `__proto__` key (JSON can carry one) is left to
 * the schema, which drops it.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, '__proto__')
  );
}
