import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WriteKeyRegistry } from '../auth/write-keys.ts';
import { ingest, type UserHashMode } from '../ingest/ingest.ts';
import { batchSchema, describeIssues, type MessageType } from '../ingest/message-schema.ts';
import type { RateLimiter } from '../ingest/rate-limit.ts';
import type { EventSink } from '../ingest/sink.ts';
import { keyFromAuthorization } from '../ingest/write-key.ts';
import { readBody } from './body.ts';
import { sendJson } from './respond.ts';

export interface IngestRouteDeps {
  /** Where accepted events go: the journal (PGlite) or the write pool (PostgreSQL). */
  sink: EventSink;
  /** Live keys (flags and dashboard) and the secrets that verify their userHashes. */
  writeKeys: Pick<WriteKeyRegistry, 'lookup'>;
  userHashMode: UserHashMode;
  limiter: RateLimiter;
  /** Who sent the request, for the client's share of its key's rate (see rate-limit.ts). */
  clientAddress: (req: IncomingMessage) => string;
  maxBodyBytes: number;
  now: () => Date;
  onStored: (count: number) => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /v1/batch` (impliedType undefined) and the single-event routes. The order of checks
 * is the order a sender can act on: size, then syntax, then who, then how fast, then what.
 */
export async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: IngestRouteDeps,
  impliedType: MessageType | undefined,
  headers: Record<string, string>,
): Promise<void> {
  const receivedAt = deps.now();
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body.ok) {
    // A sender that overran the limit may still be writing: close instead of reading on.
    sendJson(res, body.status, { ok: false, errors: [body.error] }, { ...headers, Connection: 'close' });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch (error) {
    sendJson(res, 400, { ok: false, errors: [`body is not valid JSON: ${(error as Error).message}`] }, headers);
    return;
  }
  if (!isRecord(parsed)) {
    sendJson(res, 400, { ok: false, errors: ['body must be a JSON object'] }, headers);
    return;
  }

  const bodyKey = typeof parsed['writeKey'] === 'string' ? parsed['writeKey'] : undefined;
  const writeKey = keyFromAuthorization(req.headers.authorization) ?? bodyKey;
  if (writeKey === undefined) {
    sendJson(res, 401, { ok: false, errors: ['no write key: send Authorization: Basic base64(key:) or writeKey in the body'] }, headers);
    return;
  }
  const known = await deps.writeKeys.lookup(writeKey);
  if (!known) {
    sendJson(res, 401, { ok: false, errors: ['unknown write key'] }, headers);
    return;
  }

  let events: unknown[];
  let sentAt: string | undefined;
  if (impliedType === undefined) {
    const envelope = batchSchema.safeParse(parsed);
    if (!envelope.success) {
      sendJson(res, 400, { ok: false, errors: describeIssues(envelope.error) }, headers);
      return;
    }
    events = envelope.data.batch;
    sentAt = envelope.data.sentAt;
  } else {
    events = [parsed];
  }

  const rate = deps.limiter.take(writeKey, events.length, deps.clientAddress(req));
  if (!rate.ok) {
    sendJson(res, 429, { ok: false, errors: [`rate limit for this key; retry in ${rate.retryAfterSeconds} s`] }, {
      ...headers,
      'Retry-After': String(rate.retryAfterSeconds),
    });
    return;
  }

  const secrets = known.secrets.length > 0 ? { [writeKey]: known.secrets } : {};
  const result = await ingest(deps.sink, { secrets, userHashMode: deps.userHashMode }, { writeKey, events, sentAt, receivedAt, impliedType });
  if (result.stored.length > 0) deps.onStored(result.stored.length);
  const status = result.accepted > 0 ? 200 : 400;
  sendJson(res, status, {
    ok: result.accepted > 0,
    accepted: result.accepted,
    duplicates: result.duplicates,
    rejected: result.rejected,
  }, headers);
}
