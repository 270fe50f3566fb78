import type { CollectorOptions } from './options.ts';

/**
 * The rules the command line and `startCollector` share: a value that breaks one is refused at
 * start, with the option named, by both. From code it used to be taken as given, and a wrong one
 * only showed later: every event refused, or raw events dropped.
 */

/**
 * An Origin header as browsers send it: scheme, host, port, nothing else. Compared as text
 * (cors.ts), so `app.acme.com`, a path or `*.acme.com` would match no request, and every event
 * from the vendor's site would be refused with 403 while the collector looked healthy.
 */
const ORIGIN = /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/i;

/** One event may weigh up to 32 KB (the SDK's limit, Segment's): a smaller body limit refuses it for good. */
export const MIN_BODY_BYTES = 64 * 1024;

/** What is wrong with an allowed-origins list (the first entry that is not an origin), if anything. */
export function originsProblem(origins: readonly string[]): string | undefined {
  const wrong = origins.find((origin) => origin !== '*' && origin !== 'localhost' && !ORIGIN.test(origin));
  return wrong === undefined ? undefined : `${wrong} is not an origin a browser sends: scheme://host[:port], like https://app.acme.test, or 'localhost' or '*'`;
}

/** What is wrong with a body limit in bytes, if anything. */
export function maxBodyProblem(bytes: number): string | undefined {
  if (!Number.isInteger(bytes)) return `expected a whole number of bytes, got ${bytes}`;
  return bytes < MIN_BODY_BYTES ? `at least ${MIN_BODY_BYTES} bytes (one event may be 32 KB), got ${bytes}` : undefined;
}

/**
 * Everything `startCollector` is given that breaks a rule, each as `option: rule`. Months of
 * retention under 1 would drop this month's raw events or the last one's (0 is not "forever").
 */
export function optionProblems(options: CollectorOptions): string[] {
  const problems: string[] = [];
  const origins = options.allowedOrigins === undefined ? undefined : originsProblem(options.allowedOrigins);
  if (origins) problems.push(`allowedOrigins: ${origins}`);
  const body = options.maxBodyBytes === undefined ? undefined : maxBodyProblem(options.maxBodyBytes);
  if (body) problems.push(`maxBodyBytes: ${body}`);
  const keepAlive = options.keepAliveSeconds;
  if (keepAlive !== undefined && !(Number.isInteger(keepAlive) && keepAlive >= 1)) problems.push(`keepAliveSeconds: a whole number of seconds, at least 1, got ${keepAlive}`);
  const months = options.retentionMonths;
  if (months !== undefined && !(Number.isInteger(months) && months >= 1)) problems.push(`retentionMonths: a whole number of months, at least 1 (leave it out to keep everything), got ${months}`);
  return problems;
}
