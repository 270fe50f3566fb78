import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'linger_session';

/** The cookie's value; undefined when absent or not URI-encoded (no session of ours: signed out, never a 500). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Over TLS (directly, or behind a proxy that says so) the cookie is never sent in clear. */
export function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

/**
 * HttpOnly: page scripts can't read it. SameSite=Strict: other sites' pages can't send it.
 * Secure over https. `maxAge` 0 clears it.
 */
export function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  const attributes = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (isHttps(req)) attributes.push('Secure');
  return attributes.join('; ');
}
