import { lookup } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../../crypto/sealed-box.js';
import { guardedLookup, isPrivateAddress } from './address-guard.js';
import type { McpToolInfo } from './connection.js';
import { filterAllowedTools, needsApproval } from './filters.js';
import { openRequestSecrets, redactToolSecrets, sealRequestSecrets } from './secrets.js';
import { serverKey } from './server-key.js';

const tool = (name: string, readOnly?: boolean): McpToolInfo => ({ name, input_schema: { type: 'object' }, annotations: readOnly === undefined ? null : { readOnlyHint: readOnly } });
const tools = [tool('search', true), tool('read_file', true), tool('delete_file', false), tool('misc')];

describe('allowed_tools', () => {
  it('keeps everything without a filter, the named tools with a list, and matches name and read-only filters', () => {
    expect(filterAllowedTools(tools, undefined)).toHaveLength(4);
    expect(filterAllowedTools(tools, ['search', 'nope']).map((t) => t.name)).toEqual(['search']);
    expect(filterAllowedTools(tools, { read_only: true }).map((t) => t.name)).toEqual(['search', 'read_file']);
    expect(filterAllowedTools(tools, { tool_names: ['search', 'delete_file'], read_only: true }).map((t) => t.name)).toEqual(['search']);
    expect(filterAllowedTools(tools, {}).map((t) => t.name)).toHaveLength(4);
  });
});

describe('require_approval', () => {
  it('defaults to always, honours never, and reads filter objects', () => {
    expect(needsApproval(undefined, tools[0])).toBe(true);
    expect(needsApproval('never', tools[2])).toBe(false);
    expect(needsApproval('always', tools[0])).toBe(true);
    const policy = { never: { read_only: true }, always: { tool_names: ['read_file'] } };
    expect(needsApproval(policy, tools[0])).toBe(false);
    expect(needsApproval(policy, tools[1])).toBe(true);
    expect(needsApproval(policy, tools[2])).toBe(true);
    expect(needsApproval({ never: { tool_names: ['misc'] } }, tools[3])).toBe(false);
  });
});

describe('secrets', () => {
  const box = new SealedBox(Buffer.alloc(32, 7));
  const request = {
    model: 'm',
    tools: [
      { type: 'function', name: 'f' },
      { type: 'mcp', server_label: 'gh', server_url: 'https://mcp.example.com', authorization: 'ghp_secret', headers: { 'X-Api-Key': 'k-secret' } },
    ],
  };

  it('redacts authorization and header values from echoed tools', () => {
    const echoed = redactToolSecrets(request.tools);
    expect(echoed[0]).toBe(request.tools[0]);
    expect(echoed[1]).toEqual({ type: 'mcp', server_label: 'gh', server_url: 'https://mcp.example.com', headers: { 'X-Api-Key': '[redacted]' } });
    expect(JSON.stringify(echoed)).not.toMatch(/secret/);
  });

  it('seals them for the store and opens them again with the same key only', () => {
    const sealed = sealRequestSecrets(request, box);
    expect(JSON.stringify(sealed)).not.toMatch(/secret/);
    expect(openRequestSecrets(sealed, box)).toEqual(request);
    const other = openRequestSecrets(sealed, new SealedBox(Buffer.alloc(32, 9)));
    expect(other.tools[1]).toEqual({ type: 'mcp', server_label: 'gh', server_url: 'https://mcp.example.com' });
  });

  it('keys caches by a hash that never contains the credentials', () => {
    const a = serverKey({ kind: 'http', url: 'https://x', headers: { Authorization: 'Bearer one' } });
    const b = serverKey({ kind: 'http', url: 'https://x', headers: { authorization: 'Bearer two' } });
    expect(a).not.toBe(b);
    expect(a).not.toContain('one');
    expect(serverKey({ kind: 'http', url: 'https://x', headers: { b: '2', a: '1' } })).toBe(serverKey({ kind: 'http', url: 'https://x', headers: { a: '1', b: '2' } }));
  });
});

describe('private addresses', () => {
  it('classifies addresses', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1']) expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses private addresses again at connect time (the socket lookup)', async () => {
    const viaGuard = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup('localhost', {}, (error) => resolve(error)));
    expect(viaGuard?.code).toBe('EPRIVATEADDRESS');
    // The plain resolver does resolve it: the refusal is the guard's.
    const plain = await new Promise<string>((resolve, reject) => lookup('localhost', (error, address) => (error ? reject(error) : resolve(address))));
    expect(isPrivateAddress(plain)).toBe(true);
  });
});
