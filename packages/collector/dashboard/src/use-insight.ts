import { useEffect, useState } from 'preact/hooks';
import { fetchInsight, type Filters, type InsightMap } from './api.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; data: T };

/** Refetches when the filters change; a slower, older answer never overwrites a newer one. */
export function useInsight<N extends keyof InsightMap>(name: N, filters: Filters, refresh: number): Loaded<InsightMap[N]> {
  const [loaded, setLoaded] = useState<Loaded<InsightMap[N]>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetchInsight(name, filters, controller.signal).then(
      (data) => setLoaded({ state: 'ready', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'error', error: String((error as Error).message ?? error) });
      },
    );
    return () => controller.abort();
  }, [name, filters.key, filters.from, filters.to, filters.segment, filters.identity, refresh]);
  return loaded;
}
