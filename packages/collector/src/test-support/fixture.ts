import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { issueApiToken } from '../auth/api-tokens.ts';
import { startCollector, type RunningCollector } from '../server.ts';
import type { CollectorOptions } from '../options.ts';

/** Write keys unique to one test run, so suites can share one PostgreSQL database safely. */
export function uniqueKeys(count: number): string[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => `pk_test_${run}_${i}`);
}

export interface TestCollector extends RunningCollector {
  /** A key no other test in this file has used: a clean project. */
  nextKey(): string;
  /** The vendor account the fixture signs in with. */
  admin: { email: string; password: string };
  /** A read-only API token of that account: `Authorization: Bearer <readToken>`. */
  readToken: string;
}

/** Tokens by collector URL, so helpers given only a URL can sign their reads in. */
const readTokens = new Map<string, string>();

/** Headers that authorise a read of the insights API of the collector at `url`. */
export function readAuth(url: string): Record<string, string> {
  const token = readTokens.get(url);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function startTestCollector(options: CollectorOptions = {}): Promise<TestCollector> {
  const keys = options.keys ?? uniqueKeys(60);
  // Set by global-setup.ts when this package's vitest config runs; absent otherwise.
  const template = inject('pgliteTemplate');
  const admin = options.admin ?? { email: `vendor-${randomUUID().slice(0, 8)}@example.test`, password: randomUUID() };
  const collector = await startCollector({
    ...(template ? { pgliteTemplate: template } : {}),
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    flowsPath: '/nonexistent/flows.json',
    ...options,
    admin,
    keys,
  });
  const { rows } = await collector.db.query<{ id: number }>('select id::int as id from linger_accounts where email = $1', [admin.email]);
  const issued = await issueApiToken(collector.db, rows[0]!.id, 'tests');
  if (!issued.ok) throw new Error(issued.error);
  const readToken = issued.token;
  readTokens.set(collector.url, readToken);
  let next = 0;
  return {
    ...collector,
    admin,
    readToken,
    nextKey() {
      const key = keys[next++];
      if (key === undefined) throw new Error('out of test keys: raise the count in startTestCollector');
      return key;
    },
  };
}

export type Json = Record<string, unknown>;

/** Segment-style messages with a fresh messageId, as an SDK would send them. */
export const msg = {
  track: (person: string, event: string, at: string, properties: Json = {}, extra: Json = {}): Json => ({
    type: 'track', event, userId: person, properties, timestamp: at, messageId: randomUUID(), ...extra,
  }),
  identify: (person: string, traits: Json, at: string, extra: Json = {}): Json => ({
    type: 'identify', userId: person, traits, timestamp: at, messageId: randomUUID(), ...extra,
  }),
  group: (person: string, groupId: string, traits: Json, at: string): Json => ({
    type: 'group', userId: person, groupId, traits, timestamp: at, messageId: randomUUID(),
  }),
  page: (person: string, at: string, name = 'Home'): Json => ({
    type: 'page', name, userId: person, timestamp: at, messageId: randomUUID(),
  }),
};

/**
 * A dashboard page signed in as `email`: its session cookie and CSRF token, and GETs and POSTs
 * (with an optional `Idempotency-Key`) as the page sends them.
 */
export async function signInDashboard(url: string, email: string, password: string) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = String(((await login.json()) as Json)['csrfToken']);
  return {
    cookie,
    csrf,
    get: (path: string) => fetch(`${url}${path}`, { headers: { Cookie: cookie } }),
    post: (path: string, body: Json = {}, idempotencyKey?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', Origin: url, 'X-CSRF-Token': csrf, ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
        body: JSON.stringify(body),
      }),
  };
}

export const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** PUT /v1/state, as a verified user's page sends its changed fields. */
export const putState = (url: string, key: string, body: { userId: string; userHash: string; fields: Json }) =>
  fetch(`${url}/v1/state`, { method: 'PUT', headers: { Authorization: basicAuth(key), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Sends a batch the way the SDK does and returns the status and JSON answer. */
export async function sendBatch(url: string, key: string, batch: Json[], init: { headers?: Record<string, string> } = {}) {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(key), ...init.headers },
    body: JSON.stringify({ batch, sentAt: undefined }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

/** Sends everything and fails loudly when the collector refuses part of the fixture. */
export async function seed(url: string, key: string, batch: Json[]): Promise<void> {
  const { status, body } = await sendBatch(url, key, batch);
  if (status !== 200 || (body['rejected'] as unknown[]).length > 0) {
    throw new Error(`fixture refused: ${status} ${JSON.stringify(body)}`);
  }
}

export async function getInsight<T = Json>(url: string, name: string, key: string, params: Record<string, string | string[]>): Promise<T> {
  const search = new URLSearchParams({ key });
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  }
  const res = await fetch(`${url}/api/insights/${name}?${search}`, { headers: readAuth(url) });
  if (res.status !== 200) throw new Error(`insight ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
