import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The collector's suite: `npm test -w @linger/collector`, and the repo's `npm test` runs it with
// --config. Set LINGER_TEST_DATABASE_URL (scripts/ci-postgres.sh) to run it on PostgreSQL too.
export default defineConfig({
  // `npm test` at the repo root runs this file with --config from there: anchor paths here.
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'collector',
    include: ['src/**/*.test.ts', 'dashboard/src/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['src/test-support/global-setup.ts'],
    // generous: the embedded database is WASM, and a busy 2-core machine slows it a lot
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A dashboard card re-reads its insight after each click: the answer must come, but on a busy
    // 2-core machine (the database is WASM) it may take longer than the 1 s expect.poll gives by default.
    expect: { poll: { timeout: 10_000 } },
    // Each file starts its own embedded database (a few seconds of WASM start-up): two at a
    // time suits a 2-core machine.
    maxWorkers: 2,
  },
});
