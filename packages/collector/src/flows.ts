import { readFile } from 'node:fs/promises';

export type FlowsSource = { kind: 'file'; path: string } | { kind: 'inline'; flows: unknown };

export type LoadedFlows = { found: true; flows: unknown } | { found: false; reason: string };

/**
 * Read on every request (the file is small) so a vendor editing flows sees the change on the
 * next page load, without restarting the collector.
 */
export async function loadFlows(source: FlowsSource): Promise<LoadedFlows> {
  if (source.kind === 'inline') return { found: true, flows: source.flows };
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (error) {
    return { found: false, reason: `cannot read ${source.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  try {
    return { found: true, flows: JSON.parse(text) as unknown };
  } catch (error) {
    return { found: false, reason: `${source.path} is not valid JSON: ${(error as Error).message}` };
  }
}

/** What the SDK gets when there is no config: a valid document with no experiences. */
export const emptyFlows = { version: 1 } as const;
