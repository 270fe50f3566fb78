import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. By default the socket's: `X-Forwarded-For` is anyone's to
 * write, so believing it would let one client pass for many. Given the addresses or subnets of
 * the vendor's own proxies (`10.0.0.0/8`, `::1`), the header is read from the right, through
 * those proxies only: the first address a trusted proxy did not add itself is the client.
 */
export function createClientAddress(trustedProxies: readonly string[] = []): (req: IncomingMessage) => string {
  const trusted = proxyList(trustedProxies);
  const socketAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? '';
  if (trusted === undefined) return socketAddress;
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (req) => {
    let address = socketAddress(req);
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
    while (isTrusted(address) && hops.length > 0) address = hops.pop()!;
    return address;
  };
}

/** The trusted proxies as a BlockList; undefined when none. Throws on an entry that is no address or subnet. */
export function proxyList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`trusted proxy: expected an address or a subnet (10.0.0.0/8), got ${entry}`);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}
