import { defineConfig } from 'vitest/config'

// One config for the whole repo: builds are driven by scripts/build.mjs (one vite build per
// entry), and vitest runs two projects so `npm test` counts unit and browser tests together.
const jsx = { jsx: { runtime: 'automatic' as const, importSource: 'preact' } }

export default defineConfig({
  oxc: jsx,
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        oxc: jsx,
        test: {
          name: 'unit',
          // Unit tests first, then the browser ones (each group gets the machine to itself).
          sequence: { groupOrder: 0 },
          include: ['packages/*/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'demo/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**', 'packages/collector/**'],
          environment: 'node',
        },
      },
      {
        oxc: jsx,
        test: {
          name: 'browser',
          sequence: { groupOrder: 1 },
          include: ['packages/*/src/**/*.browser.test.ts', 'test/**/*.browser.test.ts', 'demo/**/*.browser.test.ts'],
          exclude: ['**/node_modules/**', 'packages/collector/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A poll waits for what a user would eventually see; how soon is the bench's business,
          // and vitest's 1 s default failed on a loaded machine while the page was still starting.
          expect: { poll: { timeout: 10_000 } },
          // Two cores: one Chromium per worker is plenty.
          maxWorkers: 2,
        },
      },
    ],
  },
})
