import type { ActivationInsight } from '../../src/insights/activation.ts';
import type { AnnouncementsInsight } from '../../src/insights/announcements.ts';
import type { BillingInsight } from '../../src/insights/billing.ts';
import type { AdoptionInsight } from '../../src/insights/adoption.ts';
import type { AtRiskInsight } from '../../src/insights/at-risk.ts';
import type { ChurnInsight } from '../../src/insights/churn.ts';
import type { GamificationInsight } from '../../src/insights/gamification.ts';
import type { GuidanceInsight } from '../../src/insights/guidance.ts';
import type { LeaderboardsInsight } from '../../src/insights/leaderboards.ts';
import type { ValueReviewsInsight } from '../../src/insights/value-reviews.ts';
import type { RecentEvent } from '../../src/insights/recent-events.ts';
import type { SatisfactionInsight } from '../../src/insights/satisfaction.ts';
import type { SegmentOption } from '../../src/insights/segments.ts';
import type { IdentitySummary } from '../../src/insights/identity-summary.ts';
import type { ApiTokenInfo } from '../../src/auth/api-tokens.ts';
import type { WriteKeyInfo } from '../../src/auth/write-keys.ts';

export type {
  ActivationInsight, AdoptionInsight, AtRiskInsight, ChurnInsight, GamificationInsight,
  GuidanceInsight, RecentEvent, SatisfactionInsight, SegmentOption, IdentitySummary, ApiTokenInfo, WriteKeyInfo,
};

/** `verified`: leave out events whose userHash failed; `all`: count them too. */
export type IdentityMode = IdentitySummary['mode'];

export interface Filters {
  key: string;
  from: string;
  to: string;
  /** `trait:value` as segmentParam (insights/filter.ts) writes it, or '' for everyone. */
  segment: string;
  identity: IdentityMode;
}

/** Every insight answer says which events it counted. */
type WithIdentity<T> = T & { identity: IdentitySummary };

export interface InsightMap {
  activation: WithIdentity<ActivationInsight>;
  adoption: WithIdentity<AdoptionInsight>;
  satisfaction: WithIdentity<SatisfactionInsight>;
  churn: WithIdentity<ChurnInsight>;
  'at-risk': WithIdentity<AtRiskInsight>;
  gamification: WithIdentity<GamificationInsight>;
  guidance: WithIdentity<GuidanceInsight>;
  announcements: WithIdentity<AnnouncementsInsight>;
  billing: WithIdentity<BillingInsight>;
  'value-reviews': WithIdentity<ValueReviewsInsight>;
  leaderboards: WithIdentity<LeaderboardsInsight>;
}

/** Fired when the collector answers 401: the session ended, the page shows the sign-in form. */
export const SIGNED_OUT = 'linger:signed-out';

/** Held in memory only: sent back in X-CSRF-Token on every change. */
let csrfToken = '';

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 401) dispatchEvent(new Event(SIGNED_OUT));
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { errors?: string[] };
    // the status tells a refusal (4xx: sent again, refused again) from an answer that may come
    throw Object.assign(new Error(body.errors?.join('; ') ?? `${res.status} ${res.statusText}`), { status: res.status });
  }
  return (await res.json()) as T;
}

/**
 * A request unanswered after this long is given up with an error, so one that hangs (a proxy
 * holding it) never leaves Settings waiting on it, every button dead, until a reload.
 */
export const PATIENCE_MS = 30_000;
const tooLong = () => new Error(`no answer from the collector in ${PATIENCE_MS / 1000} s: try again`);
const patience = () => {
  const giveUp = new AbortController();
  setTimeout(() => giveUp.abort(tooLong()), PATIENCE_MS);
  return giveUp.signal;
};

/**
 * `request`, waited for PATIENCE_MS only, but not aborted: a create the collector may still
 * make is better answered late (to a retry waiting on it) than sent twice.
 */
export const patiently = <T,>(request: Promise<T>) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(tooLong()), PATIENCE_MS);
    request.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** The page is served by the collector, so the API is on the same origin (and its cookie). */
const getJson = async <T,>(path: string, signal?: AbortSignal): Promise<T> =>
  answer<T>(await fetch(path, { signal: signal ?? patience(), credentials: 'same-origin' }));

const postJson = async <T,>(path: string, body: unknown = {}, headers: Record<string, string> = {}, signal: AbortSignal | null = patience()): Promise<T> =>
  answer<T>(await fetch(path, {
    method: 'POST',
    signal,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken, ...headers },
    body: JSON.stringify(body),
  }));

export interface SessionInfo {
  account: { email: string };
  csrfToken?: string;
}

/** The signed-in account, or undefined when the sign-in form should show. */
export async function fetchSession(): Promise<SessionInfo | undefined> {
  const res = await fetch('api/auth/session', { credentials: 'same-origin' });
  if (res.status === 401) return undefined;
  const session = await answer<SessionInfo>(res);
  csrfToken = session.csrfToken ?? '';
  return session;
}

export async function signIn(email: string, password: string): Promise<SessionInfo> {
  const res = await fetch('api/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { errors?: string[] };
    // the status tells a refusal (4xx: sent again, refused again) from an answer that may come
    throw Object.assign(new Error(body.errors?.join('; ') ?? `${res.status} ${res.statusText}`), { status: res.status });
  }
  const session = (await res.json()) as SessionInfo;
  csrfToken = session.csrfToken ?? '';
  return session;
}

export async function signOut(): Promise<void> {
  await postJson('api/auth/logout');
  csrfToken = '';
}

export function filterQuery(filters: Filters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to });
  if (filters.key) params.set('key', filters.key);
  if (filters.segment) params.set('segment', filters.segment);
  params.set('identity', filters.identity);
  return params.toString();
}

export const fetchInsight = <N extends keyof InsightMap>(name: N, filters: Filters, signal?: AbortSignal) =>
  getJson<InsightMap[N]>(`api/insights/${name}?${filterQuery(filters)}`, signal);

export const fetchKeys = () => getJson<{ keys: string[]; writeKeys: WriteKeyInfo[] }>('api/keys');

type KeyChange = { key: string; secret?: string };
/** `once`: the Idempotency-Key, the same when the same create is sent again (it is then made once). */
// creates are never aborted: see `patiently`
export const createKey = (name: string, secret: boolean, once: string) => postJson<KeyChange>('api/keys', { name, secret }, { 'Idempotency-Key': once }, null);
export const rotateKey = (key: string) => postJson<KeyChange>(`api/keys/${encodeURIComponent(key)}/rotate`);
export const revokeKey = (key: string) => postJson<KeyChange>(`api/keys/${encodeURIComponent(key)}/revoke`);

export const fetchAccounts = () => getJson<{ accounts: { email: string; createdAt: string }[] }>('api/accounts');
export const createAccount = (email: string, password: string) => postJson<{ ok: true }>('api/accounts', { email, password });
export const removeAccount = (email: string) => postJson<{ ok: true }>('api/accounts/remove', { email });
export const changePassword = (current: string, password: string) => postJson<{ ok: true }>('api/auth/password', { current, password });

export const fetchTokens = () => getJson<{ tokens: ApiTokenInfo[] }>('api/tokens');
/** `once.n`: which try of it this is; an earlier one arriving late must not replace the token a later one showed. */
export const createToken = (name: string, once: { id: string; n: number }) =>
  postJson<ApiTokenInfo & { token: string }>('api/tokens', { name }, { 'Idempotency-Key': once.id, 'Idempotency-Attempt': String(once.n) }, null);
export const revokeToken = (id: number) => postJson<{ ok: true }>(`api/tokens/${id}/revoke`);

export const fetchSegments = (key: string) =>
  getJson<{ segments: SegmentOption[] }>(`api/segments?${new URLSearchParams({ key })}`);

export const fetchRecent = (key: string, after: number, identity: IdentityMode) =>
  getJson<{ events: RecentEvent[] }>(`api/events/recent?${new URLSearchParams({ key, after: String(after), limit: '50', identity })}`);
