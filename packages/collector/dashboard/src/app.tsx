import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchKeys, fetchSegments, type Filters, type SegmentOption } from './api.ts';
import { utcDate } from './format.ts';
import { Announcements, Billing } from './billing-sections.tsx';
import { LiveEvents } from './live-events.tsx';
import { Activation, Adoption, AtRisk, Churn, Engagement, Satisfaction } from './sections.tsx';

/** Filters live in the URL, so a view can be bookmarked or sent to a colleague. */
function initialFilters(): Filters {
  const params = new URLSearchParams(location.search);
  return {
    key: params.get('key') ?? '',
    from: params.get('from') ?? utcDate(-29),
    to: params.get('to') ?? utcDate(0),
    segment: params.get('segment') ?? '',
  };
}

export function App() {
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
  }, []);

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
        const id = `${s.trait}:${v.value}`;
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
          {keys.length > 1 && (
            <label>
              Project
              <select value={filters.key} onChange={(e) => set({ key: e.currentTarget.value, segment: '' })}>
                {keys.map((k) => <option key={k} value={k}>{k}</option>)}
              </select>
            </label>
          )}
          <div class="presets">
            {[7, 30, 60, 90].map((days) => (
              <button type="button" key={days} onClick={() => set({ from: utcDate(-(days - 1)), to: utcDate(0) })}>{days} d</button>
            ))}
          </div>
        </form>
      </header>
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
          </div>
          <LiveEvents writeKey={filters.key} onArrival={onArrival} />
        </div>
      )}
    </main>
  );
}
