import { annualOffer, type AnnualOffer } from './annual-offer.ts';
import type { InsightContext } from './context.ts';
import { pauses, type Pauses } from './pauses.ts';
import { recoveredPayments, type RecoveredPayments } from './recovered-payments.ts';
import { scopeCtes } from './scope.ts';
import { SqlParams } from './sql-params.ts';

export interface BillingInsight {
  recoveredPayments: RecoveredPayments;
  annualOffer: AnnualOffer;
  pauses: Pauses;
}

/** Billing moments: failed payments recovered, the annual-plan offer vs its holdout, pauses and resumes. */
export async function billing({ db, filter }: InsightContext): Promise<BillingInsight> {
  const p = new SqlParams();
  const { ctes, from, to } = scopeCtes(filter, p);
  const [recovered, annual, paused] = await Promise.all([
    recoveredPayments(db, ctes, from, to, p.values),
    annualOffer(db, ctes, from, to, p.values),
    pauses(db, ctes, from, to, p.values),
  ]);
  return { recoveredPayments: recovered, annualOffer: annual, pauses: paused };
}
