import { activation } from './activation.ts';
import { adoption } from './adoption.ts';
import { announcements } from './announcements.ts';
import { atRisk } from './at-risk.ts';
import { billing } from './billing.ts';
import { churn } from './churn.ts';
import type { InsightContext } from './context.ts';
import { gamification } from './gamification.ts';
import { guidance } from './guidance.ts';
import { leaderboards } from './leaderboards.ts';
import { satisfaction } from './satisfaction.ts';
import { valueReviews } from './value-reviews.ts';

/** `GET /api/insights/<name>`: each name answers one question a vendor asks. */
export const insights: Readonly<Record<string, (context: InsightContext) => Promise<unknown>>> = {
  activation,
  adoption,
  satisfaction,
  churn,
  'at-risk': atRisk,
  gamification,
  guidance,
  announcements,
  billing,
  'value-reviews': valueReviews,
  leaderboards,
};
