import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The collector's command line built to one file, as `npm start` runs it, for tests that start it
 * as a child process (a crash, a signal). Inside the package's node_modules so its imports resolve.
 */
export async function buildCli(prefix: string): Promise<{ cli: string; remove: () => Promise<void> }> {
  await mkdir(join(packageRoot, 'node_modules'), { recursive: true });
  const outDir = await mkdtemp(join(packageRoot, 'node_modules', `.linger-${prefix}-`));
  await build({
    configFile: false,
    root: packageRoot,
    logLevel: 'error',
    build: {
      ssr: true,
      target: 'node20',
      outDir,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { input: { cli: join(packageRoot, 'src/cli.ts') }, output: { format: 'es', entryFileNames: '[name].js' } },
    },
  });
  return { cli: join(outDir, 'cli.js'), remove: () => rm(outDir, { recursive: true, force: true }) };
}
