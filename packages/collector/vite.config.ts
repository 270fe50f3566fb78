import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard page only (the server is built by scripts/build.mjs). `npx vite` in this
// folder serves it with hot reload and forwards the API to a collector on :8787.
export default defineConfig({
  root: fileURLToPath(new URL('./dashboard', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8787', '/v1': 'http://127.0.0.1:8787' },
  },
});
