import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { isIP, BlockList } from 'node:net';
import { promisify } from 'node:util';

const lookupAll = promisify(dnsLookup) as (host: string, options: LookupAllOptions) => Promise<LookupAddress[]>;

// Loopback, private, link-local, carrier-grade NAT, multicast, reserved and documentation ranges.
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv6');

/**
 * Whether an IP address is loopback, private, link-local or otherwise not a public internet
 * address (IPv4-mapped IPv6 addresses are checked as IPv4).
 *
 * @example isPrivateAddress('10.1.2.3') // true
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

/** A `server_url` Kestrel will not connect to, with the reason. */
export class RefusedServerUrl extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedServerUrl';
  }
}

/**
 * Checks an MCP `server_url`: http(s) only, no credentials in the URL, and, unless private
 * networks are allowed, every address its host resolves to must be public.
 *
 * @example await checkServerUrl('https://mcp.example.com/mcp', { allowPrivateNetworks: false })
 */
export async function checkServerUrl(raw: string, options: { allowPrivateNetworks: boolean }): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedServerUrl('server_url is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedServerUrl('server_url must be an http or https URL.');
  if (url.username || url.password) throw new RefusedServerUrl('server_url must not contain credentials; send them in `authorization` or `headers`.');
  if (options.allowPrivateNetworks) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host);
  const blocked = addresses.find(isPrivateAddress);
  if (blocked) throw new RefusedServerUrl(`server_url resolves to a loopback or private address (${blocked}); this server does not allow MCP servers on private networks (config: mcp.allowPrivateNetworks).`);
  return url;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookupAll(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw new RefusedServerUrl(`server_url host ${host} could not be resolved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/**
 * A `dns.lookup` replacement for sockets: resolves, then refuses private addresses, so a host that
 * resolved to a public address when checked cannot switch to a private one when connecting.
 */
export function guardedLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as LookupAddress[];
    const blocked = list.find((entry) => isPrivateAddress(entry.address));
    if (blocked) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address (${blocked.address}); refused.`);
      refused.code = 'EPRIVATEADDRESS';
      return callback(refused, '', 0);
    }
    if ((options as LookupAllOptions).all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}
