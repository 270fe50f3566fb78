import type { InsightContext } from './context.ts';
import { ratio } from './ratio.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

/** How far back "already used the feature" looks, before a person first saw the announcement. */
export const USED_BEFORE_DAYS = 90;

export interface AnnouncementAdoption {
  announcementId: string;
  feature: string;
  /** People who saw it (`Announcement Shown` with this `feature`) in the range: the n of both rates. */
  seen: number;
  /** …of whom used the feature (`Feature Used`, same `feature`) after first seeing it, before the range end. */
  usedAfter: number;
  adoptionRate: number | null;
  /** …of whom had not used it in the 90 days before seeing it: adoption the announcement may have caused. */
  newUsers: number;
  newUserRate: number | null;
}

export interface AnnouncementsInsight {
  announcements: AnnouncementAdoption[];
}

/** Announcement adoption: of the people who saw an announcement of feature X, how many used X after. */
export async function announcements({ db, filter }: InsightContext): Promise<AnnouncementsInsight> {
  const p = new SqlParams();
  const { ctes, from, to } = scopeCtes(filter, p);
  const { rows } = await db.query<{ announcement: string; feature: string; seen: number; used_after: number; new_users: number }>(
    `with ${ctes},
     seen as (
       select person, properties ->> 'announcementId' as announcement, properties ->> 'feature' as feature, min(ts) as first_seen
       from scoped
       where event = 'Announcement Shown' and properties ->> 'feature' is not null and properties ->> 'announcementId' is not null
       group by 1, 2, 3),
     uses as (
       select person, properties ->> 'feature' as feature, ts from keyed
       where event = 'Feature Used' and ts >= ${from} - interval '${USED_BEFORE_DAYS} days' and ts < ${to}),
     per_person as (
       select s.announcement, s.feature, s.person,
              coalesce(bool_or(u.ts >= s.first_seen), false) as after,
              coalesce(bool_or(u.ts < s.first_seen and u.ts >= s.first_seen - interval '${USED_BEFORE_DAYS} days'), false) as before
       from seen s left join uses u on u.person = s.person and u.feature = s.feature
       group by 1, 2, 3)
     select announcement, feature, count(*)::int as seen,
            count(*) filter (where after)::int as used_after,
            count(*) filter (where after and not before)::int as new_users
     from per_person group by 1, 2 order by seen desc, announcement, feature`,
    p.values,
  );
  return {
    announcements: rows.map((r) => ({
      announcementId: r.announcement,
      feature: r.feature,
      seen: r.seen,
      usedAfter: r.used_after,
      adoptionRate: ratio(r.used_after, r.seen),
      newUsers: r.new_users,
      newUserRate: ratio(r.new_users, r.seen),
    })),
  };
}
