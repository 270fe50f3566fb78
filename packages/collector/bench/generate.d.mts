/** Types for generate.mjs (the benchmark's traffic), which tests read too. */
export function generateBatches(options: {
  events: number;
  days: number;
  batchSize: number;
  seed?: number;
  now?: number;
  key?: string;
}): Generator<Record<string, unknown>[]>;
