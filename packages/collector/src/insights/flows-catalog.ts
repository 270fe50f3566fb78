/**
 * What the insights need from the flows config: names and order (checklist tasks in the order
 * the user sees them, survey kinds when an answer doesn't carry one). Read leniently: the
 * collector serves the document as-is and never fails on a config it doesn't fully understand.
 */
export interface FlowsCatalog {
  checklists: { id: string; title?: string; tasks: { id: string; title?: string }[] }[];
  /** `scale`: the highest score, when the config sets one (a CES on 1–5). */
  surveys: { id: string; kind: string; scale?: number }[];
  tours: { id: string; steps: number }[];
  badges: { id: string; title?: string }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function catalogFromFlows(flows: unknown): FlowsCatalog {
  const doc = isRecord(flows) ? flows : {};
  const withTitle = <T extends { id: string }>(base: T, title: string | undefined) =>
    title === undefined ? base : { ...base, title };
  return {
    checklists: list(doc['checklists']).flatMap((c) => {
      const id = text(c['id']);
      if (!id) return [];
      const tasks = list(c['tasks']).flatMap((t) => {
        const taskId = text(t['id']);
        return taskId ? [withTitle({ id: taskId }, text(t['title']))] : [];
      });
      return [withTitle({ id, tasks }, text(c['title']))];
    }),
    surveys: list(doc['surveys']).flatMap((s) => {
      const id = text(s['id']);
      const kind = text(s['kind']);
      const scale = s['scale'];
      if (!id || !kind) return [];
      return Number.isInteger(scale) ? [{ id, kind, scale: scale as number }] : [{ id, kind }];
    }),
    tours: list(doc['tours']).flatMap((t) => {
      const id = text(t['id']);
      return id ? [{ id, steps: list(t['steps']).length }] : [];
    }),
    badges: list(doc['badges']).flatMap((b) => {
      const id = text(b['id']);
      return id ? [withTitle({ id }, text(b['title']))] : [];
    }),
  };
}

export const emptyCatalog: FlowsCatalog = { checklists: [], surveys: [], tours: [], badges: [] };
