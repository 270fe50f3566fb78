import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-options.ts';

describe('starting the collector from the command line', () => {
  it('reads flags, and environment variables where no flag is given', () => {
    const parsed = parseCli(
      ['--port', '9000', '--keys', 'pk_a, pk_b', '--secret', 'pk_a=s1', '--user-hash', 'refuse', '--rate', '10:100'],
      { LINGER_HOST: '0.0.0.0', LINGER_ORIGINS: 'https://app.acme.test,localhost', LINGER_PORT: '1234', DATABASE_URL: 'postgres://x/y' },
    );
    expect(parsed).toEqual({
      ok: true,
      help: false,
      options: {
        port: 9000,
        host: '0.0.0.0',
        keys: ['pk_a', 'pk_b'],
        secrets: { pk_a: 's1' },
        userHashMode: 'refuse',
        rateLimit: { perSecond: 10, burst: 100 },
        allowedOrigins: ['https://app.acme.test', 'localhost'],
        databaseUrl: 'postgres://x/y',
      },
    });
  });

  it('uses the embedded database unless DATABASE_URL or --database-url is given', () => {
    expect(parseCli([], {})).toEqual({ ok: true, help: false, options: { databaseUrl: null } });
    expect(parseCli(['--data-dir', '/srv/linger'], {})).toMatchObject({ options: { dataDir: '/srv/linger', databaseUrl: null } });
  });

  it('takes several secrets from the environment', () => {
    expect(parseCli([], { LINGER_SECRETS: 'pk_a=s1,pk_b=s2' })).toMatchObject({ options: { secrets: { pk_a: 's1', pk_b: 's2' } } });
  });

  it('takes the vendor account to create from the environment, the password never from a flag', () => {
    expect(parseCli(['--admin-email', 'ops@acme.test'], { LINGER_ADMIN_PASSWORD: 'correct horse battery' })).toMatchObject({
      options: { admin: { email: 'ops@acme.test', password: 'correct horse battery' } },
    });
    expect(parseCli(['--admin-password', 'x'], {})).toMatchObject({ ok: false });
    expect(parseCli([], { LINGER_ADMIN_EMAIL: 'ops@acme.test' })).toEqual({ ok: false, error: 'LINGER_ADMIN_EMAIL (or --admin-email) and LINGER_ADMIN_PASSWORD go together' });
    expect(parseCli([], { LINGER_ADMIN_EMAIL: 'ops@acme.test', LINGER_ADMIN_PASSWORD: 'short' })).toEqual({ ok: false, error: 'LINGER_ADMIN_PASSWORD: at least 12 characters' });
  });

  it('keeps raw events for the months LINGER_RETENTION_MONTHS or --retention-months says', () => {
    expect(parseCli([], { LINGER_RETENTION_MONTHS: '13' })).toMatchObject({ options: { retentionMonths: 13 } });
    expect(parseCli(['--retention-months', '0'], {})).toEqual({ ok: false, error: '--retention-months: expected at least 1' });
  });

  it('limits sync requests per user as --sync-rate or LINGER_SYNC_RATE says (the burst defaults to the per-minute rate)', () => {
    expect(parseCli(['--sync-rate', '120:20'], {})).toMatchObject({ options: { syncRateLimit: { perMinute: 120, burst: 20 } } });
    expect(parseCli([], { LINGER_SYNC_RATE: '30' })).toMatchObject({ options: { syncRateLimit: { perMinute: 30, burst: 30 } } });
    expect(parseCli(['--sync-rate', 'lots'], {})).toEqual({ ok: false, error: '--sync-rate: expected perMinute or perMinute:burst, got lots' });
  });

  it('counts clients by X-Forwarded-For only behind the proxies --trust-proxy or LINGER_TRUST_PROXY names', () => {
    expect(parseCli(['--trust-proxy', '10.0.0.0/8, ::1'], {})).toMatchObject({ options: { trustProxy: ['10.0.0.0/8', '::1'] } });
    expect(parseCli([], { LINGER_TRUST_PROXY: '192.168.1.10' })).toMatchObject({ options: { trustProxy: ['192.168.1.10'] } });
    expect(parseCli([], {})).not.toMatchObject({ options: { trustProxy: expect.anything() } });
    expect(parseCli(['--trust-proxy', 'lb.internal'], {})).toEqual({ ok: false, error: '--trust-proxy: expected an address or a subnet (10.0.0.0/8), got lb.internal' });
  });

  it('keeps idle connections open as long as --keep-alive or LINGER_KEEP_ALIVE says', () => {
    expect(parseCli(['--keep-alive', '620'], {})).toMatchObject({ options: { keepAliveSeconds: 620 } });
    expect(parseCli([], { LINGER_KEEP_ALIVE: '75' })).toMatchObject({ options: { keepAliveSeconds: 75 } });
    expect(parseCli(['--keep-alive', 'long'], {})).toEqual({ ok: false, error: '--keep-alive: expected a whole number, got long' });
    // Node reads 0 as "never time out": idle connections would pile up for ever
    expect(parseCli(['--keep-alive', '0'], {})).toEqual({ ok: false, error: '--keep-alive: expected at least 1 second, got 0' });
  });

  it('explains a bad value instead of starting with a surprise', () => {
    expect(parseCli(['--port', 'eighty'], {})).toEqual({ ok: false, error: '--port: expected a whole number, got eighty' });
    expect(parseCli(['--user-hash', 'maybe'], {})).toEqual({ ok: false, error: '--user-hash: expected mark or refuse, got maybe' });
    expect(parseCli(['--secret', 'nokey'], {})).toEqual({ ok: false, error: '--secret: expected key=secret, got nokey' });
    expect(parseCli(['--rate', 'fast'], {})).toEqual({ ok: false, error: '--rate: expected perSecond:burst, got fast' });
    expect(parseCli(['--colour'], {})).toMatchObject({ ok: false });
  });

  it('refuses an allowed origin no browser sends (no scheme, a path, a wildcard host), which would refuse every event from the site with 403', () => {
    for (const origin of ['app.acme.test', 'https://app.acme.test/app', 'https://*.acme.test', 'acme.test:8080']) {
      expect(parseCli(['--origins', `localhost,${origin}`], {})).toEqual({
        ok: false,
        error: `--origins: ${origin} is not an origin a browser sends: scheme://host[:port], like https://app.acme.test, or 'localhost' or '*'`,
      });
    }
    expect(parseCli([], { LINGER_ORIGINS: 'app.acme.test' })).toMatchObject({ ok: false, error: expect.stringMatching(/^--origins: app\.acme\.test is not an origin/) });
    // What a browser sends, with or without the slash a copied address has; IPv6 and ports too
    expect(parseCli(['--origins', 'https://app.acme.test/,http://localhost:3000,http://[::1]:8080,https://Shop.Acme.test,*'], {})).toMatchObject({ ok: true });
  });

  it('refuses a body limit under what one event may weigh (a limit meant in KiB, --max-body 512), which would refuse such events for good', () => {
    expect(parseCli(['--max-body', '512'], {})).toEqual({ ok: false, error: '--max-body: at least 65536 bytes (one event may be 32 KB), got 512' });
    expect(parseCli([], { LINGER_MAX_BODY: '0' })).toEqual({ ok: false, error: '--max-body: at least 65536 bytes (one event may be 32 KB), got 0' });
    expect(parseCli(['--max-body', '65536'], {})).toMatchObject({ ok: true, options: { maxBodyBytes: 65536 } });
  });

  it('refuses an empty secret at start (`--secret pk_live=$SECRET` with the variable unset), which would vouch for no one', () => {
    expect(parseCli(['--secret', 'pk_live='], {})).toEqual({ ok: false, error: '--secret: the secret for pk_live is empty (an unset variable?)' });
    expect(parseCli([], { LINGER_SECRETS: 'pk_a=s1,pk_live=' })).toEqual({ ok: false, error: '--secret: the secret for pk_live is empty (an unset variable?)' });
  });
});
