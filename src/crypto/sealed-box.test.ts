import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SealedBox, loadOrCreateKey } from './sealed-box.js';

describe('SealedBox', () => {
  it('round-trips a value and rejects tampering and other keys', () => {
    const box = new SealedBox(randomBytes(32));
    const blob = box.seal({ text: 'secret thought', n: 1 });
    expect(blob.startsWith('ksl1.')).toBe(true);
    expect(blob).not.toContain('secret');
    expect(box.open(blob)).toEqual({ text: 'secret thought', n: 1 });
    const tampered = blob.slice(0, -3) + (blob.endsWith('A') ? 'BBB' : 'AAA');
    expect(box.open(tampered)).toBeNull();
    expect(new SealedBox(randomBytes(32)).open(blob)).toBeNull();
    expect(box.open('garbage')).toBeNull();
  });

  it('keeps the key across restarts in the data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-key-'));
    const first = loadOrCreateKey(join(dir, 'secret.key'));
    const second = loadOrCreateKey(join(dir, 'secret.key'));
    expect(second.equals(first)).toBe(true);
    const blob = new SealedBox(first).seal('x');
    expect(new SealedBox(second).open(blob)).toBe('x');
  });

  it('accepts an explicit hex or base64 secret and refuses a short one', () => {
    const key = randomBytes(32);
    expect(loadOrCreateKey('/nonexistent/k', key.toString('hex')).equals(key)).toBe(true);
    expect(loadOrCreateKey('/nonexistent/k', key.toString('base64')).equals(key)).toBe(true);
    expect(() => loadOrCreateKey('/nonexistent/k', 'c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
