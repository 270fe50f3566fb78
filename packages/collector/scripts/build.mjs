#!/usr/bin/env node
// Builds the collector: the Node server (dist/server: index.js for startCollector, cli.js for
// server.mjs) and the dashboard page (dist/dashboard). Uses the package's own vite.config.ts
// for the page, never the repository's root config.
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist/server',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    rollupOptions: {
      input: { index: join(root, 'src/index.ts'), cli: join(root, 'src/cli.ts') },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});

// The embedded engine runs in a worker thread that loads this file by path (src/db/pglite.ts),
// with the durable filesystem it imports.
for (const file of ['pglite-worker.mjs', 'durable-fs.mjs']) await copyFile(join(root, 'src/db', file), join(root, 'dist/server', file));

await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
console.log('[linger] collector built: dist/server, dist/dashboard');
