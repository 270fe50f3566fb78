import type { Filters } from './api.ts';
import { num } from './format.ts';
import { useInsight } from './use-insight.ts';

/**
 * Says, above every number, which events they count. Events whose userHash failed can be sent
 * by anyone holding the public write key, so by default they count for no one. Anonymous visitors
 * count in both modes (they claim no one): the label says so, or a PM reads "active users" as users.
 */
export function IdentityBanner({ filters, refresh }: { filters: Filters; refresh: number }) {
  const loaded = useInsight('guidance', filters, refresh);
  if (loaded.state !== 'ready') return null;
  const { mode, unverifiedEvents } = loaded.data.identity;
  const count = `${num(unverifiedEvents)} unverified event${unverifiedEvents === 1 ? '' : 's'}`;
  return (
    <p class={`identity ${mode}`} role="status" data-identity={mode}>
      {mode === 'verified'
        ? `Verified users and anonymous visitors: ${count} in this range (userHash missing or wrong) left out.`
        : `All events: ${count} in this range (userHash missing or wrong) counted under the userId they claim.`}
    </p>
  );
}
