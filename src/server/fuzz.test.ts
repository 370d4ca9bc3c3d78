import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';

// A small deterministic PRNG (mulberry32) so a failure can be replayed.
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID: Record<string, unknown[]> = {
  '/responses': [
    { model: 'm', input: 'hello' },
    { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }], tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }], tool_choice: 'auto', temperature: 0.5, metadata: { a: 'b' } },
    { model: 'm', input: [{ type: 'message', role: 'user', content: 'x' }], text: { format: { type: 'json_schema', name: 's', schema: { type: 'object' } }, verbosity: 'low' }, reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] },
    { model: 'm', input: 'x', tools: [{ type: 'custom', name: 'c', format: { type: 'grammar', syntax: 'regex', definition: '[a-z]+' } }], tool_choice: { type: 'custom', name: 'c' } },
  ],
  '/chat/completions': [
    { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
    { model: 'm', messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'text', text: 'x' }] }], tools: [{ type: 'function', function: { name: 'f' } }], stream: false, max_tokens: 20 },
  ],
  '/conversations': [{ items: [{ role: 'user', content: 'x' }], metadata: { k: 'v' } }, {}],
  '/responses/input_tokens': [{ model: 'm', input: 'count me' }],
};

const ODD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -1e308, 3.5, '', 'x', '\u0000', '💥'.repeat(50), 'a'.repeat(5000), [], [null], {}, { type: 'bogus' }, [{ type: 'input_text' }], JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { x: 1 } } }];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = random();
  if (depth > 3 || pick < 0.4) return ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
  if (pick < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  const keys = ['model', 'input', 'type', 'role', 'content', 'text', 'tools', 'name', 'messages', 'stream', 'items', 'call_id', 'output', 'format', 'x'];
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [keys[Math.floor(random() * keys.length)], randomValue(random, depth + 1)]));
}

function mutate(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) {
    const copy = value.map((entry) => (random() < 0.5 ? mutate(entry, random) : entry));
    if (random() < 0.2) copy.push(randomValue(random));
    if (random() < 0.2) copy.shift();
    return copy;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys[Math.floor(random() * keys.length)];
    const action = random();
    if (key === undefined || action < 0.15) copy[`extra_${Math.floor(random() * 9)}`] = randomValue(random);
    else if (action < 0.35) delete copy[key];
    else if (action < 0.7) copy[key] = randomValue(random);
    else copy[key] = mutate(copy[key], random);
    return copy;
  }
  return random() < 0.5 ? randomValue(random) : value;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ script: [{ text: 'ok' }] });
});
afterAll(async () => server.close());

describe('fuzz: random and mutated bodies', () => {
  it('answers 1,200 bodies with a 2xx or an OpenAI 4xx, never a 5xx, never a backend call for a 4xx', async () => {
    const random = prng(20261125);
    const paths = Object.keys(VALID);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1200; i++) {
      const path = paths[i % paths.length];
      const valid = VALID[path][Math.floor(random() * VALID[path].length)];
      const kind = random();
      const body = kind < 0.15 ? randomValue(random) : kind < 0.2 ? '{"model": "m", "input": [' : kind < 0.25 ? JSON.stringify(valid).slice(0, Math.floor(random() * 40)) : mutate(mutate(valid, random), random);
      const text = typeof body === 'string' ? body : JSON.stringify(body) ?? 'null';
      const callsBefore = server.backend.calls.length;
      const res = await fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const raw = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${path} ${text.slice(0, 300)} → ${raw.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) {
        const error = JSON.parse(raw).error;
        expect(typeof error.message, raw).toBe('string');
        expect(typeof error.type).toBe('string');
        expect(error).toHaveProperty('param');
        expect(error).toHaveProperty('code');
        expect(server.backend.calls.length, `${path} ${text.slice(0, 300)}`).toBe(callsBefore);
      }
    }
    // The corpus must exercise both outcomes, or it tests nothing.
    expect([...statuses.keys()].some((status) => status >= 400)).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
  });
});
