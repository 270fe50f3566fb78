import type { Queryable, SqlValue } from '../db/database.ts';
import { ratio } from './ratio.ts';

/** `billingInterval` trait values that mean a yearly plan. */
const ANNUAL = `('annual', 'year', 'yearly')`;

export interface AnnualOfferArm {
  variant: 'offer' | 'holdout';
  /** People with a `Plan Offer Shown` of this variant in the range (holdout: would have seen it): the n. */
  exposed: number;
  /** …of whom accepted the offer (`Plan Offer Accepted`): only the offer arm can. */
  accepted: number;
  /** …of whom went annual after exposure by any road: accepted, or their `billingInterval` trait became annual. */
  converted: number;
  conversionRate: number | null;
}

export interface AnnualOffer {
  arms: AnnualOfferArm[];
  /** Offer-arm conversion minus holdout conversion (percentage points as a fraction); null without both. */
  lift: number | null;
}

/**
 * Annual conversions, offer vs holdout. A person counts once, in the arm of their first exposure.
 * Switching to annual is read from `identify`/`group` traits (`billingInterval`): a reading of
 * annual after the exposure, where the last one before it was not, so people on an annual plan
 * when shown the offer never count, and one annual once but monthly since does.
 */
export async function annualOffer(db: Queryable, ctes: string, from: string, to: string, values: SqlValue[]): Promise<AnnualOffer> {
  const { rows } = await db.query<{ variant: 'offer' | 'holdout'; exposed: number; accepted: number; converted: number }>(
    `with ${ctes},
     exposed as (
       select person, (array_agg(properties ->> 'variant' order by ts, id))[1] as variant, min(ts) as first_at
       from scoped where event = 'Plan Offer Shown' and properties ->> 'variant' in ('offer', 'holdout')
       group by person),
     accepted as (
       select person, min(ts) as at from keyed where event = 'Plan Offer Accepted' and ts >= ${from} and ts < ${to} group by person),
     -- each exposed person's billing interval readings, however long ago: the one in force when
     -- shown the offer decides (a customer annual since before any lookback, seen again after it,
     -- switched nothing; one annual once and monthly since did switch)
     intervals as (
       select e.person, k.ts, k.id, lower(k.traits ->> 'billingInterval') in ${ANNUAL} as annual, k.ts >= e.first_at as after
       from exposed e join keyed k on k.person = e.person
       where k.type in ('identify', 'group') and k.ts < ${to} and k.traits ->> 'billingInterval' is not null),
     when_shown as (
       select distinct on (person) person, annual from intervals where not after order by person, ts desc, id desc),
     went_annual as (
       select i.person, min(i.ts) as at from intervals i left join when_shown b on b.person = i.person
       where i.after and i.annual and b.annual is not true
       group by i.person)
     select e.variant, count(*)::int as exposed,
            count(*) filter (where a.at >= e.first_at)::int as accepted,
            count(*) filter (where a.at >= e.first_at or w.at >= e.first_at)::int as converted
     from exposed e left join accepted a on a.person = e.person left join went_annual w on w.person = e.person
     group by 1 order by 1 desc`,
    values,
  );
  const arms = (['offer', 'holdout'] as const).map((variant) => {
    const r = rows.find((x) => x.variant === variant);
    const exposed = r?.exposed ?? 0;
    return { variant, exposed, accepted: r?.accepted ?? 0, converted: r?.converted ?? 0, conversionRate: ratio(r?.converted ?? 0, exposed) };
  });
  const offer = arms[0]?.conversionRate ?? null;
  const holdout = arms[1]?.conversionRate ?? null;
  return { arms, lift: offer === null || holdout === null ? null : Math.round((offer - holdout) * 10_000) / 10_000 };
}
