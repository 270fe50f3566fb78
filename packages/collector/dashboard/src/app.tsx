import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchKeys, fetchSegments, fetchSession, signOut, SIGNED_OUT, type Filters, type SegmentOption, type SessionInfo } from './api.ts';
import { segmentParam } from '../../src/insights/filter.ts';
import { utcDate } from './format.ts';
import { IdentityBanner } from './identity-banner.tsx';
import { Announcements, Billing } from './billing-sections.tsx';
import { Leaderboards, ValueReviews } from './engagement-sections.tsx';
import { LiveEvents } from './live-events.tsx';
import { Activation, Adoption, AtRisk, Churn, Engagement, Satisfaction } from './sections.tsx';
import { Settings } from './settings.tsx';
import { SignIn } from './sign-in.tsx';

/** Filters live in the URL, so a view can be bookmarked or sent to a colleague. */
function initialFilters(): Filters {
  const params = new URLSearchParams(location.search);
  return {
    key: params.get('key') ?? '',
    from: params.get('from') ?? utcDate(-29),
    to: params.get('to') ?? utcDate(0),
    segment: params.get('segment') ?? '',
    identity: params.get('identity') === 'all' ? 'all' : 'verified',
  };
}

/** Asks the collector who is signed in; shows the sign-in form until someone is. */
export function Root() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  useEffect(() => {
    fetchSession().then((s) => setSession(s ?? null), () => setSession(null));
    const signedOut = () => setSession(null);
    addEventListener(SIGNED_OUT, signedOut);
    return () => removeEventListener(SIGNED_OUT, signedOut);
  }, []);
  if (session === undefined) return <p class="muted">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  // Only a sign-out the collector took shows the form: its session would otherwise live on,
  // cookie and all, behind a page saying it ended. (A 401 means it had ended: SIGNED_OUT.)
  return <App account={session.account.email} onSignOut={() => signOut().then(() => setSession(null))} />;
}

export function App({ account, onSignOut }: { account: string; onSignOut: () => Promise<void> }) {
  const [showSettings, setShowSettings] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [keysVersion, setKeysVersion] = useState(0);
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [keys, setKeys] = useState<string[]>([]);
  const [segments, setSegments] = useState<SegmentOption[]>([]);
  const [refresh, setRefresh] = useState(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    fetchKeys().then(({ keys: list }) => {
      setKeys(list);
      setFilters((f) => (f.key ? f : { ...f, key: list[0] ?? '' }));
    }, () => setKeys([]));
  }, [keysVersion]);

  useEffect(() => {
    if (!filters.key) return;
    fetchSegments(filters.key).then(({ segments: list }) => setSegments(list), () => setSegments([]));
  }, [filters.key, refresh]);

  useEffect(() => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
    history.replaceState(null, '', `?${params}`);
  }, [filters]);

  // New events refresh the insights, at most every 5 s, so the numbers follow the demo.
  const onArrival = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      setRefresh((n) => n + 1);
    }, 5000);
  }, []);

  const segmentChoices = useMemo(() => {
    const seen = new Set<string>();
    return segments.flatMap((s) =>
      s.values.flatMap((v) => {
        const id = segmentParam({ trait: s.trait, value: v.value });
        if (seen.has(id)) return [];
        seen.add(id);
        return [{ id, label: `${s.trait} = ${v.value}`, group: s.source === 'group' ? 'Account traits' : 'User traits' }];
      }),
    );
  }, [segments]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const ready = filters.key !== '';

  return (
    <main>
      <header class="top">
        <h1>Linger insights</h1>
        <div class="account">
          <span class="muted">{account}</span>
          <button type="button" aria-expanded={showSettings} onClick={() => setShowSettings((v) => !v)}>Keys &amp; tokens</button>
          <button type="button" onClick={() => {
            setSignOutError(null);
            onSignOut().catch((err: Error) => setSignOutError(`Not signed out (${err.message}): try again.`));
          }}>Sign out</button>
          {signOutError && <p class="error" role="alert">{signOutError}</p>}
        </div>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            From <input type="date" value={filters.from} max={filters.to} onChange={(e) => set({ from: e.currentTarget.value })} />
          </label>
          <label>
            To <input type="date" value={filters.to} min={filters.from} onChange={(e) => set({ to: e.currentTarget.value })} />
          </label>
          <label>
            Segment
            <select value={filters.segment} onChange={(e) => set({ segment: e.currentTarget.value })}>
              <option value="">Everyone</option>
              {['User traits', 'Account traits'].map((group) => (
                <optgroup key={group} label={group}>
                  {segmentChoices.filter((c) => c.group === group).map((c) => (
                    <option key={c.id} value={c.id}>{c.label}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            Count
            <select value={filters.identity} onChange={(e) => set({ identity: e.currentTarget.value === 'all' ? 'all' : 'verified' })}>
              <option value="verified">verified users + visitors</option>
              <option value="all">all events, unverified too</option>
            </select>
          </label>
          {keys.length > 1 && (
            <label>
              Project
              <select value={filters.key} onChange={(e) => set({ key: e.currentTarget.value, segment: '' })}>
                {keys.map((k) => <option key={k} value={k}>{k}</option>)}
              </select>
            </label>
          )}
          <div class="presets">
            {/* "7 d" is read out as "seven d": the name says it, and the chosen one is pressed */}
            {[7, 30, 60, 90].map((days) => (
              <button type="button" key={days} aria-label={`Last ${days} days`}
                aria-pressed={filters.from === utcDate(-(days - 1)) && filters.to === utcDate(0)}
                onClick={() => set({ from: utcDate(-(days - 1)), to: utcDate(0) })}>{days} d</button>
            ))}
          </div>
        </form>
      </header>
      {showSettings && <Settings me={account} onKeysChanged={() => setKeysVersion((n) => n + 1)} />}
      {ready && <IdentityBanner filters={filters} refresh={refresh} />}
      {ready && (
        <div class="layout">
          <div class="insights">
            <Adoption filters={filters} refresh={refresh} />
            <Activation filters={filters} refresh={refresh} />
            <Engagement filters={filters} refresh={refresh} />
            <Satisfaction filters={filters} refresh={refresh} />
            <Churn filters={filters} refresh={refresh} />
            <AtRisk filters={filters} refresh={refresh} />
            <Announcements filters={filters} refresh={refresh} />
            <Billing filters={filters} refresh={refresh} />
            <ValueReviews filters={filters} refresh={refresh} />
            <Leaderboards filters={filters} refresh={refresh} />
          </div>
          <LiveEvents writeKey={filters.key} identity={filters.identity} onArrival={onArrival} />
        </div>
      )}
    </main>
  );
}
