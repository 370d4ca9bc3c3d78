import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './index.js';
import { ApiKeyAuth } from '../server/auth.js';

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  return { out, err };
}

describe('kestrel command', () => {
  it('prints help and refuses unknown commands and bad options with exit 2', async () => {
    const { out, err } = capture();
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toMatch(/kestrel serve/);
    expect(await main(['launch'])).toBe(2);
    expect(await main(['serve', '--port', 'eighty'])).toBe(2);
    expect(await main(['serve', '--upstream', 'localhost:11434'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "launch"[\s\S]*--port must be a number[\s\S]*--upstream must be an http\(s\) URL/);
  });

  it('hash-key prints a hash the server accepts in place of the key', async () => {
    const { out } = capture();
    expect(await main(['hash-key', 'sk-local-123456'])).toBe(0);
    const hashed = out[0];
    expect(hashed).toMatch(/^sha256:[0-9a-f]{64}$/);
    const auth = new ApiKeyAuth([hashed]);
    expect(auth.owner('Bearer sk-local-123456')).toMatch(/^key_/);
    expect(() => auth.owner('Bearer other-key-999')).toThrow(/Incorrect API key/);
  });

  it('reports a bad config file clearly', async () => {
    const { err } = capture();
    expect(await main(['serve', '--config', '/nonexistent/kestrel.yaml'])).toBe(1);
    expect(err.join('\n')).toMatch(/Cannot read the config file \/nonexistent\/kestrel.yaml/);
  });
});
