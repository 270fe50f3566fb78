import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddress } from './client-address.ts';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('who sent a request, for the per-client rate share', () => {
  it('is the socket address unless the vendor names its proxies: X-Forwarded-For is anyone\'s to write', () => {
    const address = createClientAddress();
    expect(address(request('198.51.100.20', '1.2.3.4'))).toBe('198.51.100.20');
  });

  it('reads X-Forwarded-For from the right through trusted proxies only, so a client cannot prepend a fake address', () => {
    const address = createClientAddress(['10.0.0.0/8', '::1']);
    // browser 198.51.100.20 wrote "1.2.3.4" itself; the edge proxy 10.0.0.7 appended what it saw
    expect(address(request('10.0.0.9', '1.2.3.4, 198.51.100.20, 10.0.0.7'))).toBe('198.51.100.20');
    expect(address(request('::ffff:10.0.0.9', '198.51.100.20'))).toBe('198.51.100.20');
    expect(address(request('::1', '2001:db8::5'))).toBe('2001:db8::5');
    // not from a proxy: the header is the sender's own claim
    expect(address(request('203.0.113.7', '198.51.100.20'))).toBe('203.0.113.7');
    // a proxy that added nothing: the proxy is the client
    expect(address(request('10.0.0.9'))).toBe('10.0.0.9');
  });

  it('refuses a trusted proxy that is no address or subnet, at start', () => {
    expect(() => createClientAddress(['10.0.0.0/33'])).toThrow('10.0.0.0/33');
    expect(() => createClientAddress(['proxy.internal'])).toThrow('proxy.internal');
  });
});
