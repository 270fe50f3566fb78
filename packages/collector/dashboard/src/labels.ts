import { useEffect, useState } from 'preact/hooks';

/**
 * Names from the flows config the collector serves (`/v1/flows`, same origin), so the
 * dashboard says "It is too expensive" where the data says `too-expensive`. An id the config
 * does not know (renamed, removed) is shown as it is.
 */
export interface Labels {
  survey(id: string): string;
  reason(id: string): string;
  tour(id: string): string;
  /**
   * A one-step tour that is a beacon: a marker the user may open, not a tour they are walked
   * through. The SDK's isHotspotTour looks at the first step only; one with more steps has a funnel.
   */
  hotspot(id: string): boolean;
  /**
   * A tour whose first step is a beacon (a hotspot or not): its Tour Started meant the dot shown
   * in SDKs before round 48, the dot opened since, and no event says which SDK sent it.
   */
  dot(id: string): boolean;
}

type Doc = {
  surveys?: { id?: string; question?: string }[];
  tours?: { id?: string; title?: string; steps?: { title?: string; beacon?: unknown; target?: unknown }[] }[];
  cancelFlow?: { reasons?: { id?: string; label?: string }[] };
};

export function labelsFrom(doc: Doc): Labels {
  const map = (items: { id?: string }[] | undefined, name: (item: never) => string | undefined) =>
    new Map((items ?? []).flatMap((item) => (typeof item.id === 'string' && name(item as never) ? [[item.id, name(item as never)!]] : [])));
  const surveys = map(doc.surveys, (s: { question?: string }) => s.question);
  const reasons = map(doc.cancelFlow?.reasons, (r: { label?: string }) => r.label);
  const tours = map(doc.tours, (t: { title?: string; steps?: { title?: string }[] }) => t.title ?? t.steps?.[0]?.title);
  // a beacon without a target shows as a plain step, so that tour is not a hotspot
  const dots = (doc.tours ?? []).filter((t) => t?.steps?.[0]?.beacon && t.steps[0].target);
  return {
    survey: (id) => surveys.get(id) ?? id,
    reason: (id) => reasons.get(id) ?? id,
    tour: (id) => tours.get(id) ?? id,
    hotspot: (id) => dots.some((t) => t.id === id && t.steps!.length === 1),
    dot: (id) => dots.some((t) => t.id === id),
  };
}

const fallback = labelsFrom({});
let loading: Promise<Labels> | undefined;

export function useLabels(): Labels {
  const [labels, setLabels] = useState(fallback);
  useEffect(() => {
    loading ??= fetch('v1/flows')
      .then((res) => (res.ok ? res.json() : {}))
      .then((doc: Doc) => labelsFrom(doc), () => fallback);
    void loading.then(setLabels);
  }, []);
  return labels;
}
