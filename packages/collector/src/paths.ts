import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from `start` to the first folder whose package.json passes `test`. */
function findUp(start: string, test: (pkg: Record<string, unknown>) => boolean): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if (test(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)) return dir;
      } catch {
        // an unreadable package.json is not the one we look for
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Found from this module's own location (src/ in tests, dist/server/ when built), so defaults
 * don't depend on the directory the collector was started from.
 */
export const packageRoot: string = findUp(here, (pkg) => pkg['name'] === '@linger/collector') ?? resolve(here, '..');

/** The monorepo root (the npm workspaces root), or the current directory outside the repo. */
export const repoRoot: string = findUp(packageRoot, (pkg) => 'workspaces' in pkg) ?? process.cwd();

export const defaultDataDir = join(repoRoot, '.linger-data');
/** The project's own example flows, the ones the demo serves. */
export const defaultFlowsPath = join(repoRoot, 'examples', 'flows.json');
export const defaultDashboardDir = join(packageRoot, 'dist', 'dashboard');
