import type { Message } from './message-schema.ts';

/**
 * Bounds on what one event may carry, checked at ingestion so a bad event is rejected on its
 * own (with a named reason) instead of failing the insert of everyone else's events.
 */

/**
 * The earliest event time kept. Events are partitioned by month: every month named creates a
 * table, so a batch spread over centuries would flood the catalog; and `Date.UTC` reads years
 * 0–99 as 19xx, so such a time would get a partition that can't hold it.
 */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);
/** How far ahead of the collector's clock an event (after clock correction) may be. */
export const MAX_FUTURE_MS = 86_400_000;
/** How deep any field of an event (`properties`, `traits`, `context`, …) may nest (the object itself is level 1). */
export const MAX_NESTING = 64;

export type EventTime = { ok: true; ts: Date } | { ok: false; error: string };

const inWindow = (time: number, receivedAt: Date) =>
  Number.isFinite(time) && time >= EARLIEST_EVENT_TIME && time <= receivedAt.getTime() + MAX_FUTURE_MS;

/**
 * Clients' clocks are wrong more often than not. `timestamp + (receivedAt - sentAt)` moves the
 * event onto the server clock (the Segment rule); an event can't be from the future, so a small
 * lead is taken as clock drift and capped at `receivedAt`. A `sentAt` that would move a
 * timestamp out of the window is itself the wrong clock (a device can't have sent an event
 * centuries after making it), so the timestamp is then taken as sent; one the window can't hold
 * even so is rejected.
 */
export function eventTime(message: Message, envelopeSentAt: string | undefined, receivedAt: Date): EventTime {
  if (!message.timestamp) return { ok: true, ts: receivedAt };
  const timestamp = Date.parse(message.timestamp);
  const sentAt = Date.parse(message.sentAt ?? envelopeSentAt ?? '');
  const corrected = Number.isFinite(sentAt) ? timestamp + (receivedAt.getTime() - sentAt) : timestamp;
  const time = inWindow(corrected, receivedAt) ? corrected : timestamp;
  if (!(time >= EARLIEST_EVENT_TIME)) return { ok: false, error: 'timestamp: before 2000-01-01, the earliest time the collector keeps' };
  if (!inWindow(time, receivedAt)) return { ok: false, error: 'timestamp: more than a day ahead of the collector\'s clock' };
  return { ok: true, ts: new Date(Math.min(time, receivedAt.getTime())) };
}

/**
 * Whether `value` nests deeper than `limit` levels (objects and arrays). Walked with a stack of
 * its own: a recursive walk would overflow on the very events this exists to catch.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Reasons `message` nests too deep, one per field. Every field, not only `properties`, `traits`
 * and `context`: a field the collector does not know is kept (the schema passes it through) and
 * written to the embedded engine's journal, whose JSON.stringify overflows the stack on a few
 * thousand levels and failed the whole batch with a 500.
 */
export function nestingErrors(message: Message): string[] {
  return Object.keys(message)
    .filter((field) => nestsDeeperThan((message as Record<string, unknown>)[field], MAX_NESTING))
    .map((field) => `${field}: nested deeper than ${MAX_NESTING} levels`);
}

type Text = string & { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (text: string) => (text as Text).isWellFormed();

/**
 * Whether any text in `message` (a key or a value, in any field) holds half of a surrogate pair:
 * a text the browser cut in the middle of an emoji. JSON carries it; UTF-8, and so PostgreSQL's
 * jsonb, cannot, and the event failed to store after it was acknowledged (the embedded engine set
 * it aside) or was refused whole (PostgreSQL). Walked with a stack, as `nestsDeeperThan`.
 */
export function hasLoneSurrogate(message: Message): boolean {
  const stack: unknown[] = [message];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (!isWellFormed(current)) return true;
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        if (!isWellFormed(key)) return true;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/**
 * `value` with each half surrogate as U+FFFD, as the text columns store one (store.ts): the event
 * is kept, with the half emoji shown as �. Recursive: only for a value `nestingErrors` passed.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return (value as unknown as Text).toWellFormed() as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [(key as Text).toWellFormed(), wellFormed(v)])) as T;
}
