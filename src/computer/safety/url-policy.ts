import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressScope } from './ip-ranges.js';

export interface UrlPolicyOptions {
  /**
   * Domains the session may reach. `example.com` allows it and its subdomains, `*.example.com` only subdomains.
   * When set, every other domain is blocked.
   */
  allowedDomains?: string[];
  /** Domains never reached (wins over `allowedDomains`). Same patterns. */
  blockedDomains?: string[];
  /** Allow `file:` URLs (default false). */
  allowFileUrls?: boolean;
  /** Allow the machine itself: 127.0.0.0/8, ::1, localhost (default false). */
  allowLoopback?: boolean;
  /** Allow private, link-local and cloud-metadata addresses (default false). */
  allowPrivateNetwork?: boolean;
  /** Resolves a host name to addresses (default: the system resolver). Tests map made-up domains here. */
  resolveHost?: (host: string) => Promise<string[]>;
}

export type BlockReason = 'scheme' | 'domain' | 'loopback' | 'private' | 'unresolvable';

export type UrlVerdict = { allowed: true; addresses?: string[] } | { allowed: false; reason: BlockReason; message: string };

const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
// Schemes that fetch nothing from anywhere.
const INERT_SCHEMES = new Set(['about:', 'data:', 'blob:']);

/**
 * Whether `host` matches a domain pattern: `example.com` (itself and subdomains) or `*.example.com` (subdomains).
 *
 * @example
 * matchesDomain('shop.example.com', 'example.com') // true
 * matchesDomain('example.com', '*.example.com')    // false
 */
export function matchesDomain(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.trim().toLowerCase().replace(/^\./, '').replace(/\.$/, '');
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return h === p || h.endsWith(`.${p}`);
}

/** Strips IPv6 brackets from a URL host name. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Decides whether a session may reach a URL or host: domain allow/deny lists, then the address class (loopback,
 * private network) after resolving the name, so a public-looking name that points inside is still refused.
 * Everything not explicitly allowed fails closed. The filtering proxy connects to the addresses returned here, so
 * a second DNS answer cannot differ from the checked one.
 *
 * @example
 * const policy = new UrlPolicy({ allowedDomains: ['example.com'] });
 * await policy.checkUrl('https://example.com/a') // { allowed: true, addresses: [...] }
 * await policy.checkUrl('file:///etc/passwd')    // { allowed: false, reason: 'scheme', … }
 */
export class UrlPolicy {
  readonly options: Readonly<UrlPolicyOptions>;
  private readonly cache = new Map<string, { at: number; addresses: string[] }>();

  constructor(options: UrlPolicyOptions = {}) {
    this.options = options;
  }

  /** A policy for a person's own machine: loopback, private network and files allowed; lists still apply. */
  static local(options: UrlPolicyOptions = {}): UrlPolicy {
    return new UrlPolicy({ allowLoopback: true, allowPrivateNetwork: true, allowFileUrls: true, ...options });
  }

  /** True when the policy restricts nothing (no proxy needed). */
  get isOpen(): boolean {
    const o = this.options;
    return !o.allowedDomains?.length && !o.blockedDomains?.length && !!o.allowFileUrls && !!o.allowLoopback && !!o.allowPrivateNetwork;
  }

  /** Domain lists only: synchronous, no DNS. */
  checkDomain(host: string): UrlVerdict {
    const name = bareHost(host).toLowerCase();
    const blocked = this.options.blockedDomains?.find((pattern) => matchesDomain(name, pattern));
    if (blocked) return { allowed: false, reason: 'domain', message: `${name} is on the blocked list (${blocked}).` };
    const allowed = this.options.allowedDomains;
    if (allowed && allowed.length > 0 && !allowed.some((pattern) => matchesDomain(name, pattern))) {
      return { allowed: false, reason: 'domain', message: `${name} is not on the allowed list (${allowed.join(', ')}).` };
    }
    return { allowed: true };
  }

  /**
   * Checks a host (domain lists, then every address it resolves to).
   *
   * @example await policy.checkHost('localhost') // { allowed: false, reason: 'loopback', … } unless allowed
   */
  async checkHost(host: string): Promise<UrlVerdict> {
    const name = bareHost(host).toLowerCase();
    const domain = this.checkDomain(name);
    if (!domain.allowed) return domain;
    let addresses: string[];
    if (isIP(name)) addresses = [name];
    else {
      try {
        addresses = await this.resolve(name);
      } catch {
        return { allowed: false, reason: 'unresolvable', message: `${name} could not be resolved.` };
      }
      if (addresses.length === 0) return { allowed: false, reason: 'unresolvable', message: `${name} could not be resolved.` };
    }
    for (const address of addresses) {
      const scope = addressScope(address);
      if (scope === 'loopback' && !this.options.allowLoopback) {
        return { allowed: false, reason: 'loopback', message: `${name} points at this machine (${address}); loopback addresses are blocked.` };
      }
      if (scope === 'private' && !this.options.allowPrivateNetwork) {
        return { allowed: false, reason: 'private', message: `${name} points into a private network (${address}); private addresses are blocked.` };
      }
    }
    return { allowed: true, addresses };
  }

  /**
   * Checks a full URL: its scheme, then its host.
   *
   * @example await policy.checkUrl('http://169.254.169.254/latest/meta-data') // blocked: private
   */
  async checkUrl(url: string): Promise<UrlVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: false, reason: 'scheme', message: `"${url}" is not a valid URL.` };
    }
    if (parsed.protocol === 'file:') {
      return this.options.allowFileUrls ? { allowed: true } : { allowed: false, reason: 'scheme', message: 'file: URLs are blocked in this session.' };
    }
    if (INERT_SCHEMES.has(parsed.protocol)) return { allowed: true };
    if (!NETWORK_SCHEMES.has(parsed.protocol)) {
      return { allowed: false, reason: 'scheme', message: `${parsed.protocol} URLs are blocked in this session.` };
    }
    return this.checkHost(parsed.hostname);
  }

  private async resolve(host: string): Promise<string[]> {
    const cached = this.cache.get(host);
    if (cached && Date.now() - cached.at < 30_000) return cached.addresses;
    const addresses = this.options.resolveHost
      ? await this.options.resolveHost(host)
      : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    this.cache.set(host, { at: Date.now(), addresses });
    return addresses;
  }
}
