import { parseCli, usage } from './cli-options.ts';
import { resolveOptions } from './options.ts';
import { startCollector, type RunningCollector } from './server.ts';
import type { StartPhase } from './http/starting.ts';

/** The generated admin password is printed this once; it is stored only as a hash. */
export function signInLines(signIn: { email: string; password: string } | undefined): string[] {
  if (!signIn) return ['  sign in    with your vendor account (LINGER_ADMIN_EMAIL + LINGER_ADMIN_PASSWORD reset a password)'];
  return [
    `  sign in    ${signIn.email}  password ${signIn.password}`,
    '             shown once, now: keep it. LINGER_ADMIN_EMAIL + LINGER_ADMIN_PASSWORD on a later start reset it.',
  ];
}

/** `node server.mjs [options]`: runs the collector until Ctrl-C. */
async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    console.error(`${parsed.error}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    console.log(usage);
    return;
  }
  const resolved = resolveOptions(parsed.options);
  let phase: StartPhase = { state: 'starting' };
  let collector: RunningCollector | undefined;
  let stopping = false;
  const stop = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    if (!collector) {
      // Not waited for: a migration can run for minutes, past an orchestrator's grace period.
      // Each one is a transaction, so ending the process rolls it back whole (cli.signal.test.ts).
      console.error(phase.state === 'migrating'
        ? `[linger] ${signal} while applying migration ${phase.migration.id} (${phase.migration.name}): stopped before serving. The migration is rolled back and applied again on the next start.`
        : `[linger] ${signal} while starting: stopped before serving.`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    console.log(`\n${signal}: closing the collector`);
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // From the start: an orchestrator that stops the collector mid-migration is told what it stopped.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The first start creates the embedded database, which takes a while: say so.
  if (!resolved.databaseUrl) console.log(`[linger] opening the embedded database in ${resolved.dataDir}…`);
  collector = await startCollector({ ...parsed.options, onPhase: (now) => (phase = now) });
  const storage = collector.engine === 'postgres'
    ? 'PostgreSQL server (DATABASE_URL)'
    : `embedded PGlite in ${resolved.dataDir}`;
  console.log(
    [
      'Linger collector is running',
      `  dashboard  ${collector.url}/`,
      `  events     ${collector.url}/v1/batch   keys: ${resolved.keys.join(', ')}`,
      `  flows      ${collector.url}/v1/flows   from ${resolved.flows.kind === 'file' ? resolved.flows.path : 'inline config'}`,
      `  insights   ${collector.url}/api/insights/{activation,adoption,satisfaction,churn,at-risk,gamification,guidance}`,
      `  storage    ${storage}`,
      ...signInLines(collector.signIn),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`[linger] collector failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
