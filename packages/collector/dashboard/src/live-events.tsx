import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchRecent, type IdentityMode, type RecentEvent } from './api.ts';
import { eventTime, personLabel } from './format.ts';

const POLL_MS = 2000;
const KEEP = 50;

/**
 * The newest events, polled every 2 s with the last id seen, so a newcomer clicking around the
 * demo sees each action arrive. Calls `onArrival` so the insights can refresh too.
 */
export function LiveEvents({ writeKey, identity, onArrival }: { writeKey: string; identity: IdentityMode; onArrival: () => void }) {
  const [events, setEvents] = useState<RecentEvent[]>([]);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const lastId = useRef(0);
  const arrival = useRef(onArrival);
  arrival.current = onArrival;

  useEffect(() => {
    lastId.current = 0;
    setEvents([]);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { events: incoming } = await fetchRecent(writeKey, lastId.current, identity);
        if (stopped) return;
        setError(null);
        if (incoming.length > 0) {
          const first = lastId.current === 0;
          lastId.current = Math.max(lastId.current, ...incoming.map((e) => e.id));
          setEvents((old) => [...incoming, ...old].slice(0, KEEP));
          if (!first) {
            setFresh(new Set(incoming.map((e) => e.id)));
            arrival.current();
          }
        }
      } catch (err) {
        if (!stopped) setError(String((err as Error).message ?? err));
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [writeKey, identity]);

  return (
    <section class="card live" aria-label="Live events">
      <h2>Live events <span class="pulse" aria-hidden="true" /></h2>
      {error && <p class="error" role="alert">{error}</p>}
      {events.length === 0 && !error && <p class="muted">Waiting for events… open the demo and click around.</p>}
      <ol class="events" aria-live="polite">
        {events.map((e) => (
          <li key={e.id} class={fresh.has(e.id) ? 'fresh' : ''}>
            <time dateTime={e.ts}>{eventTime(e.ts)}</time>
            <span class={`type ${e.type}`}>{e.type}</span>
            <strong>{e.event ?? ''}</strong>
            <span class="muted">{personLabel(e)}</span>
            {e.verified === false && <span class="tag" title="userHash missing or wrong">unverified</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
