import type { Queryable } from '../db/database.ts';
import type { IdentityMode } from './filter.ts';
import { personId, type PersonId } from './person-id.ts';

export interface RecentEvent extends PersonId {
  id: number;
  type: string;
  event: string | null;
  ts: string;
  receivedAt: string;
  verified: boolean | null;
  properties: Record<string, unknown>;
}

/**
 * The newest events, or those stored after `afterId`: the dashboard polls with the last id it
 * has, so each poll costs one indexed range scan however busy the project is.
 */
export async function recentEvents(db: Queryable, writeKey: string, afterId: number, limit: number, identity: IdentityMode = 'verified'): Promise<RecentEvent[]> {
  const { rows } = await db.query<{ id: number; type: string; event: string | null; person: string; ts: Date; received_at: Date; verified: boolean | null; properties: Record<string, unknown> }>(
    `select id, type, event, person, ts, received_at, verified, properties from resolved_events
     where write_key = $1 and id > $2 ${identity === 'verified' ? 'and verified is not false' : ''} order by id desc limit $3`,
    [writeKey, afterId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    event: r.event,
    ...personId(r.person),
    ts: r.ts.toISOString(),
    receivedAt: r.received_at.toISOString(),
    verified: r.verified,
    properties: r.properties,
  }));
}
