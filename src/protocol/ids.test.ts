import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('has the prefix, 48 hex characters, and the Unix time first like OpenAI ids', () => {
    const before = Math.floor(Date.now() / 1000);
    const id = newId('resp');
    expect(id).toMatch(/^resp_[0-9a-f]{48}$/);
    const seconds = parseInt(id.slice(5, 13), 16);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('sorts ids in the order they were made, and never repeats one', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('msg'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
