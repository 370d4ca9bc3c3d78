import { isIP } from 'node:net';

/** Where an address points: the machine itself, a private network, or the public internet. */
export type AddressScope = 'loopback' | 'private' | 'public';

function ipv4Scope(address: string): AddressScope {
  const [a, b] = address.split('.').map(Number);
  if (a === 127) return 'loopback';
  if (a === 0) return 'loopback'; // 0.0.0.0/8 reaches the local host on Linux
  if (a === 10) return 'private';
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 169 && b === 254) return 'private'; // link-local, cloud metadata (169.254.169.254)
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  if (a === 198 && (b === 18 || b === 19)) return 'private'; // benchmarking networks
  if (a >= 224) return 'private'; // multicast and reserved
  return 'public';
}

function expandIpv6(address: string): number[] {
  const zone = address.indexOf('%');
  const bare = zone >= 0 ? address.slice(0, zone) : address;
  let head = bare;
  let tailV4: number[] = [];
  const v4 = bare.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    tailV4 = [(a << 8) | b, (c << 8) | d];
    head = bare.slice(0, -v4[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').filter(Boolean).map((group) => parseInt(group, 16)) : []);
  const l = parse(left);
  const r = [...parse(right), ...tailV4];
  const fill = head.includes('::') ? new Array(8 - l.length - r.length).fill(0) : [];
  return [...l, ...fill, ...r];
}

/**
 * Classifies an IP address (v4 or v6, IPv4-mapped v6 included).
 *
 * @example
 * addressScope('127.0.0.1')     // 'loopback'
 * addressScope('192.168.1.20')  // 'private'
 * addressScope('::ffff:10.0.0.1') // 'private'
 * addressScope('93.184.216.34') // 'public'
 */
export function addressScope(address: string): AddressScope {
  const version = isIP(address);
  if (version === 4) return ipv4Scope(address);
  if (version !== 6) throw new TypeError(`not an IP address: ${address}`);
  const groups = expandIpv6(address);
  if (groups.every((group) => group === 0)) return 'loopback'; // ::
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback'; // ::1
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return ipv4Scope(`${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`);
  }
  const first = groups[0];
  if ((first & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80) return 'private'; // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return 'private'; // multicast
  return 'public';
}
