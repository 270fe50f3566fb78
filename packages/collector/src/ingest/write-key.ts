/**
 * The write key travels as `Authorization: Basic base64(key:)` when the request can carry
 * headers, or as `writeKey` in the body when it cannot (sendBeacon). The header wins.
 */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const key = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
  return key.length > 0 ? key : undefined;
}
