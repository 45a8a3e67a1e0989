// Whose trace the gateway continues. A client's traceparent would otherwise
// choose the trace id every city writes into its disclosure log; only the
// configured callers (a proxy, the web app's server), by remote address,
// may do that. Everyone else starts a new trace linked to theirs.
import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';

export function trustedTraceCallers(addresses: readonly string[]): (req: Request) => boolean {
  if (addresses.length === 0) return () => false;
  const trusted = new BlockList();
  for (const entry of addresses) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0)
      throw new Error(`TRUSTED_TRACE_CALLERS: ${entry} is not an address or CIDR range`);
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return (req) => {
    const remote = req.socket.remoteAddress;
    if (!remote) return false;
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote)?.[1];
    return mapped
      ? trusted.check(mapped, 'ipv4')
      : trusted.check(remote, isIP(remote) === 6 ? 'ipv6' : 'ipv4');
  };
}
