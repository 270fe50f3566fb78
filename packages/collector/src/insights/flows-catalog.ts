/**
 * What the insights need from the flows config: names and order (checklist tasks in the order
 * the user sees them, survey kinds when an answer doesn't carry one). Read leniently: the
 * collector serves the document as-is and never fails on a config it doesn't fully understand.
 */
export interface FlowsCatalog {
  /** `points` of a task and `rewardPoints` of a checklist: what the leaderboard counts for them. */
  checklists: { id: string; title?: string; tasks: { id: string; title?: string; points?: number }[]; rewardPoints?: number }[];
  /**
   * `scale`: the highest score, when the config sets one (a CES on 1–5). `options` and `other`:
   * a poll's, so its shares count only real options (insights/satisfaction.ts).
   */
  surveys: { id: string; kind: string; scale?: number; options?: string[]; other?: boolean }[];
  tours: { id: string; steps: number }[];
  badges: { id: string; title?: string; points?: number }[];
  /** `points`: the threshold, so read-outs list levels in the order users climb them. */
  levels: { name: string; points?: number }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Points as the flows schema allows them: a whole number from 0 to 1,000,000; else none. */
const pointsOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000 ? value : undefined;

const withPoints = <T extends object>(base: T, key: string, points: number | undefined): T =>
  points === undefined ? base : { ...base, [key]: points };

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
        return taskId ? [withPoints(withTitle({ id: taskId }, text(t['title'])), 'points', pointsOf(t['points']))] : [];
      });
      const reward = isRecord(c['reward']) ? c['reward'] : {};
      return [withPoints(withTitle({ id, tasks }, text(c['title'])), 'rewardPoints', pointsOf(reward['points']))];
    }),
    surveys: list(doc['surveys']).flatMap((s) => {
      const id = text(s['id']);
      const kind = text(s['kind']);
      const scale = s['scale'];
      if (!id || !kind) return [];
      const options = Array.isArray(s['options']) ? s['options'].filter((o): o is string => typeof o === 'string') : undefined;
      return [{
        id, kind,
        ...(Number.isInteger(scale) ? { scale: scale as number } : {}),
        ...(options ? { options, ...(s['other'] === true ? { other: true } : {}) } : {}),
      }];
    }),
    tours: list(doc['tours']).flatMap((t) => {
      const id = text(t['id']);
      return id ? [{ id, steps: list(t['steps']).length }] : [];
    }),
    badges: list(doc['badges']).flatMap((b) => {
      const id = text(b['id']);
      return id ? [withPoints(withTitle({ id }, text(b['title'])), 'points', pointsOf(b['points']))] : [];
    }),
    levels: list(doc['levels']).flatMap((l) => {
      const name = text(l['name']);
      return name ? [withPoints({ name }, 'points', pointsOf(l['points']))] : [];
    }),
  };
}

export const emptyCatalog: FlowsCatalog = { checklists: [], surveys: [], tours: [], badges: [], levels: [] };
