import { randomUUID } from 'node:crypto';
import { eventTime, hasLoneSurrogate, nestingErrors, wellFormed } from './event-limits.ts';
import { checkCommonMessage } from './message-check.ts';
import { describeIssues, messageSchema, type Message, type MessageType } from './message-schema.ts';
import type { EventSink } from './sink.ts';
import { dedupeKeyOf, groupIdOf, type EventRow } from './store.ts';
import { isGroupHashValid, isUserHashValid } from './user-hash.ts';

export type UserHashMode = 'mark' | 'refuse';

export interface IngestSettings {
  /**
   * Write key → secret (or the secrets valid during a rotation); keys without a secret skip
   * the userHash check.
   */
  secrets: Readonly<Record<string, string | readonly string[]>>;
  userHashMode: UserHashMode;
}

export interface RejectedEvent {
  index: number;
  messageId: string | null;
  errors: string[];
}

export interface IngestResult {
  /** Valid events: newly stored plus `duplicates`. */
  accepted: number;
  /** Valid events already stored under the same messageId from the same sender (a retry); not stored twice. */
  duplicates: number;
  rejected: RejectedEvent[];
  /** The newly stored messages, for the live view. */
  stored: Message[];
}

export interface IngestInput {
  writeKey: string;
  events: readonly unknown[];
  /** `sentAt` of the envelope, used when a message carries none. */
  sentAt?: string | undefined;
  receivedAt: Date;
  /** For the single-event routes: the type the route implies. */
  impliedType?: MessageType | undefined;
}

function messageIdOf(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'messageId' in raw) {
    const id = (raw as { messageId: unknown }).messageId;
    return typeof id === 'string' ? id : null;
  }
  return null;
}

/** The key's secret, or the secrets valid during a rotation; empty without one. */
function secretsOf(writeKey: string, settings: IngestSettings): readonly string[] {
  const secret = settings.secrets[writeKey];
  return secret === undefined ? [] : typeof secret === 'string' ? [secret] : secret;
}

function verify(message: Message, writeKey: string, settings: IngestSettings): boolean | null {
  const secrets = secretsOf(writeKey, settings);
  if (secrets.length === 0 || message.userId == null) return null;
  const userId = message.userId;
  return secrets.some((s) => isUserHashValid(s, userId, message.context?.['userHash']));
}

/**
 * Whether the vendor vouched that a verified user belongs to the group the event names
 * (`context.groupHash`, HMAC of userId + "\n" + groupId with the same secrets as the userHash);
 * null when there is nothing to check: no group, or the userHash did not verify (`verified` not true).
 */
function verifyGroup(message: Message, writeKey: string, settings: IngestSettings, verified: boolean | null): boolean | null {
  const groupId = groupIdOf(message);
  if (groupId === null || verified !== true) return null;
  const userId = message.userId!;
  return secretsOf(writeKey, settings).some((s) => isGroupHashValid(s, userId, groupId, message.context?.['groupHash']));
}

/**
 * What Segment's HTTP API fills in for a call: the route's type, and a messageId when the sender
 * gave none (its docs' curl examples give none). Such an id is new on every call, so a retry of
 * it is stored twice, as on Segment; the prefix lets the warehouse tell those events apart.
 */
function withDefaults(raw: unknown, impliedType: MessageType | undefined): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const noType = impliedType !== undefined && !('type' in raw);
  const noId = (raw as { messageId?: unknown }).messageId == null;
  if (!noType && !noId) return raw;
  return { ...raw, ...(noType ? { type: impliedType } : {}), ...(noId ? { messageId: `collector-${randomUUID()}` } : {}) };
}

/** Validates each event alone, hands the good ones to the sink in one piece, reports the bad ones. */
export async function ingest(sink: EventSink, settings: IngestSettings, input: IngestInput): Promise<IngestResult> {
  const rows: EventRow[] = [];
  const rejected: RejectedEvent[] = [];
  const indexOf = new Map<EventRow, number>();
  input.events.forEach((raw, index) => {
    const candidate = withDefaults(raw, input.impliedType);
    let message = checkCommonMessage(candidate);
    if (message === undefined) {
      const parsed = messageSchema.safeParse(candidate);
      if (!parsed.success) {
        rejected.push({ index, messageId: messageIdOf(raw), errors: describeIssues(parsed.error) });
        return;
      }
      message = parsed.data;
    }
    if (input.impliedType && message.type !== input.impliedType) {
      rejected.push({ index, messageId: message.messageId, errors: [`type: this route takes ${input.impliedType} calls`] });
      return;
    }
    const time = eventTime(message, input.sentAt, input.receivedAt);
    const limits = [...(time.ok ? [] : [time.error]), ...nestingErrors(message)];
    if (!time.ok || limits.length > 0) {
      rejected.push({ index, messageId: message.messageId, errors: limits });
      return;
    }
    // Copied only in the rare event that needs it: most carry no half emoji.
    if (hasLoneSurrogate(message)) message = wellFormed(message);
    const verified = verify(message, input.writeKey, settings);
    if (verified === false && settings.userHashMode === 'refuse') {
      rejected.push({ index, messageId: message.messageId, errors: ['context.userHash: does not match userId'] });
      return;
    }
    // A group the vendor did not vouch for costs the event nothing (its user is verified, or
    // refused above): only the membership and the group's traits are not taken from it.
    const groupVerified = verifyGroup(message, input.writeKey, settings, verified);
    // With a secret, only an event the vendor vouched for may write profiles (see store.ts),
    // and only one whose groupHash verified too may make its user a member of the group.
    const noSecret = settings.secrets[input.writeKey] === undefined;
    const trusted = noSecret || verified === true;
    const groupTrusted = noSecret || groupVerified === true;
    const row = { writeKey: input.writeKey, message, ts: time.ts, receivedAt: input.receivedAt, verified, trusted, groupTrusted };
    rows.push(row);
    indexOf.set(row, index);
  });
  // A row the database refused although it passed every check above (the sink stored the rest).
  const refused: RejectedEvent[] = [];
  const fresh = rows.length > 0
    ? await sink.append(rows, (row, reason) => refused.push({ index: indexOf.get(row) ?? -1, messageId: row.message.messageId, errors: [reason] }))
    : new Set<string>();
  const accepted = rows.length - refused.length;
  return {
    accepted,
    duplicates: accepted - fresh.size,
    rejected: [...rejected, ...refused].sort((a, b) => a.index - b.index),
    // `fresh.delete` keeps an event repeated inside the batch from being listed twice.
    stored: rows.filter((row) => fresh.delete(dedupeKeyOf(row.message))).map((row) => row.message),
  };
}
