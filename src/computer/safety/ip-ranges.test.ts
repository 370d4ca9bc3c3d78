import { describe, expect, it } from 'vitest';
import { addressScope } from './ip-ranges.js';

describe('addressScope', () => {
  it('classifies IPv4 and IPv6 addresses', () => {
    for (const address of ['127.0.0.1', '127.8.9.1', '0.0.0.0', '::1', '::', '::ffff:127.0.0.1']) expect(addressScope(address), address).toBe('loopback');
    for (const address of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.10', '169.254.169.254', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])
      expect(addressScope(address), address).toBe('private');
    for (const address of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(addressScope(address), address).toBe('public');
  });
});
