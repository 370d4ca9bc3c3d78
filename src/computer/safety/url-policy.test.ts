import { describe, expect, it } from 'vitest';
import { matchesDomain, UrlPolicy } from './url-policy.js';

const resolveHost = async (host: string) => ({ 'public.test': ['93.184.216.34'], 'inside.test': ['10.0.0.5'], 'mixed.test': ['93.184.216.34', '127.0.0.1'] })[host] ?? [];

describe('UrlPolicy', () => {
  it('matches domains and subdomains', () => {
    expect(matchesDomain('shop.example.com', 'example.com')).toBe(true);
    expect(matchesDomain('example.com', 'example.com')).toBe(true);
    expect(matchesDomain('badexample.com', 'example.com')).toBe(false);
    expect(matchesDomain('example.com', '*.example.com')).toBe(false);
    expect(matchesDomain('a.example.com', '*.example.com')).toBe(true);
  });

  it('fails closed: loopback, private networks, files and odd schemes are blocked unless allowed', async () => {
    const policy = new UrlPolicy({ resolveHost });
    expect(await policy.checkUrl('http://public.test/')).toEqual({ allowed: true, addresses: ['93.184.216.34'] });
    expect(await policy.checkUrl('http://127.0.0.1:8080/')).toMatchObject({ allowed: false, reason: 'loopback' });
    expect(await policy.checkUrl('http://[::1]/')).toMatchObject({ allowed: false, reason: 'loopback' });
    expect(await policy.checkUrl('http://inside.test/')).toMatchObject({ allowed: false, reason: 'private' });
    expect(await policy.checkUrl('http://mixed.test/')).toMatchObject({ allowed: false, reason: 'loopback' });
    expect(await policy.checkUrl('http://nowhere.test/')).toMatchObject({ allowed: false, reason: 'unresolvable' });
    expect(await policy.checkUrl('file:///etc/passwd')).toMatchObject({ allowed: false, reason: 'scheme' });
    expect(await policy.checkUrl('chrome://settings')).toMatchObject({ allowed: false, reason: 'scheme' });
    expect(await policy.checkUrl('about:blank')).toEqual({ allowed: true });
    const local = UrlPolicy.local({ resolveHost });
    expect(local.isOpen).toBe(true);
    expect((await local.checkUrl('http://127.0.0.1/')).allowed).toBe(true);
    expect((await local.checkUrl('file:///tmp/x.html')).allowed).toBe(true);
  });

  it('applies the allow list, and the block list over it', async () => {
    const policy = new UrlPolicy({ resolveHost, allowedDomains: ['public.test', 'example.org'], blockedDomains: ['ads.example.org'] });
    expect(policy.isOpen).toBe(false);
    expect((await policy.checkUrl('http://public.test/a')).allowed).toBe(true);
    expect(await policy.checkUrl('http://other.test/')).toMatchObject({ allowed: false, reason: 'domain' });
    expect(policy.checkDomain('ads.example.org')).toMatchObject({ allowed: false, reason: 'domain' });
    expect(policy.checkDomain('www.example.org')).toEqual({ allowed: true });
  });
});
