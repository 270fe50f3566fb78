import { z } from 'zod';
import { ANONYMOUS_MARK } from '../db/persons.ts';

/** Segment Spec message types the collector stores. */
export const messageTypes = ['track', 'identify', 'page', 'group', 'screen', 'alias'] as const;
export type MessageType = (typeof messageTypes)[number];

/** An ISO 8601 time with a zone (`Z` or an offset), as Segment's libraries send it. */
export const isoDateTime = z.iso.datetime({ offset: true });

const id = z.union([z.string().min(1).max(200), z.number().finite()]).transform(String);
const record = z.record(z.string(), z.unknown());

/**
 * One message as Segment's libraries and the Linger SDK send it. Unknown fields are kept
 * (passthrough), so a vendor can send extra data without a collector upgrade.
 */
export const messageSchema = z
  .looseObject({
    type: z.enum(messageTypes),
    messageId: z.string().min(1, 'messageId is required').max(200),
    event: z.string().min(1).max(200).optional(),
    name: z.string().max(200).nullish(),
    userId: id.nullish(),
    anonymousId: id.nullish(),
    groupId: id.nullish(),
    previousId: id.nullish(),
    timestamp: isoDateTime.optional(),
    sentAt: isoDateTime.optional(),
    properties: record.optional(),
    traits: record.optional(),
    context: record.optional(),
  })
  .check((ctx) => {
    const m = ctx.value;
    // the mark of an anonymous visitor's person (db/persons.ts): a userId with it would be that visitor
    if (m.userId != null && m.userId.startsWith(ANONYMOUS_MARK)) {
      ctx.issues.push({ code: 'custom', input: m, path: ['userId'], message: 'must not start with the control character U+0001' });
    }
    if (m.userId == null && m.anonymousId == null) {
      ctx.issues.push({ code: 'custom', input: m, path: ['userId'], message: 'userId or anonymousId is required' });
    }
    if (m.type === 'track' && m.event === undefined) {
      ctx.issues.push({ code: 'custom', input: m, path: ['event'], message: 'a track call needs an event name' });
    }
    if (m.type === 'group' && m.groupId == null) {
      ctx.issues.push({ code: 'custom', input: m, path: ['groupId'], message: 'a group call needs a groupId' });
    }
  });

export type Message = z.infer<typeof messageSchema>;

/** The envelope of `POST /v1/batch`. Events are validated one by one afterwards. */
export const batchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1, 'batch must hold at least one event').max(2000, 'batch holds more than 2000 events'),
  sentAt: isoDateTime.optional(),
  writeKey: z.string().optional(),
  context: record.optional(),
});

/** Turns zod issues into short readable reasons: `path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
