import type { ActivationInsight } from '../../src/insights/activation.ts';
import type { AnnouncementsInsight } from '../../src/insights/announcements.ts';
import type { BillingInsight } from '../../src/insights/billing.ts';
import type { AdoptionInsight } from '../../src/insights/adoption.ts';
import type { AtRiskInsight } from '../../src/insights/at-risk.ts';
import type { ChurnInsight } from '../../src/insights/churn.ts';
import type { GamificationInsight } from '../../src/insights/gamification.ts';
import type { GuidanceInsight } from '../../src/insights/guidance.ts';
import type { RecentEvent } from '../../src/insights/recent-events.ts';
import type { SatisfactionInsight } from '../../src/insights/satisfaction.ts';
import type { SegmentOption } from '../../src/insights/segments.ts';

export type {
  ActivationInsight, AdoptionInsight, AtRiskInsight, ChurnInsight, GamificationInsight,
  GuidanceInsight, RecentEvent, SatisfactionInsight, SegmentOption,
};

export interface Filters {
  key: string;
  from: string;
  to: string;
  /** `trait:value`, or '' for everyone. */
  segment: string;
}

export interface InsightMap {
  activation: ActivationInsight;
  adoption: AdoptionInsight;
  satisfaction: SatisfactionInsight;
  churn: ChurnInsight;
  'at-risk': AtRiskInsight;
  gamification: GamificationInsight;
  guidance: GuidanceInsight;
  announcements: AnnouncementsInsight;
  billing: BillingInsight;
}

/** The page is served by the collector, so the API is on the same origin. */
async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, signal ? { signal } : {});
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { errors?: string[] };
    throw new Error(body.errors?.join('; ') ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

export function filterQuery(filters: Filters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.key) params.set('key', filters.key);
  if (filters.segment) params.set('segment', filters.segment);
  return params.toString();
}

export const fetchInsight = <N extends keyof InsightMap>(name: N, filters: Filters, signal?: AbortSignal) =>
  getJson<InsightMap[N]>(`api/insights/${name}?${filterQuery(filters)}`, signal);

export const fetchKeys = () => getJson<{ keys: string[] }>('api/keys');

export const fetchSegments = (key: string) =>
  getJson<{ segments: SegmentOption[] }>(`api/segments?${new URLSearchParams({ key })}`);

export const fetchRecent = (key: string, after: number) =>
  getJson<{ events: RecentEvent[] }>(`api/events/recent?${new URLSearchParams({ key, after: String(after), limit: '50' })}`);
