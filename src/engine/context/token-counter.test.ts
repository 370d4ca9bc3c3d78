import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { createScriptedBackend } from '../../backends/scripted/index.js';
import { BackendError, type Backend, type ModelMessage } from '../../backends/types.js';
import { estimateTokens } from './estimate.js';
import { GenerationalCache } from './generational-cache.js';
import { TokenCache } from './token-cache.js';
import { TokenCounter, textsOf } from './token-counter.js';

const scripted = () => createScriptedBackend({ script: [{ text: 'ok' }] });

/** A backend whose tokenizer counts words, recording each text it is asked about. */
function wordTokenizer(fail?: BackendError): Backend & { asked: string[] } {
  const asked: string[] = [];
  return {
    ...scripted(),
    name: `words-${Math.random()}`,
    type: 'openai-chat',
    asked,
    async countTokens(_model: string, text: string) {
      asked.push(text);
      if (fail) throw fail;
      return text.split(/\s+/).filter(Boolean).length;
    },
  };
}

describe('TokenCounter', () => {
  it('counts OpenAI-family models exactly with o200k, special-token text included', () => {
    const counter = new TokenCounter({ backend: scripted(), backendModel: 'gpt-5.4' }, new TokenCache());
    expect(counter.kind).toBe('o200k');
    const text = 'Compaction keeps long agent runs going. <|endoftext|> is plain text here.';
    expect(counter.text(text)).toBe(countTokens(text, { disallowedSpecial: new Set() }));
  });

  it('uses the backend tokenizer, asking once per distinct text', async () => {
    const backend = wordTokenizer();
    const cache = new TokenCache();
    const messages: ModelMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'one two three' }] },
      { role: 'assistant', content: 'four five', toolCalls: [{ callId: 'c1', name: 'lookup', arguments: '{"q": "x y"}', kind: 'function' }] },
    ];
    const first = new TokenCounter({ backend, backendModel: 'qwen3' }, cache);
    expect(first.kind).toBe('backend');
    await first.prepare(textsOf(messages));
    const asked = backend.asked.length;
    // framing 6 per message and per tool call, 4 for the reply
    expect(first.messages(messages)).toBe(4 + (6 + 2) + (6 + 3) + (6 + 2 + 6 + 1 + 3));
    const second = new TokenCounter({ backend, backendModel: 'qwen3' }, cache);
    await second.prepare(textsOf(messages));
    expect(backend.asked.length).toBe(asked);
    expect(second.messages(messages)).toBe(first.messages(messages));
  });

  it('falls back to the estimate when the backend has no tokenizer endpoint, and stops asking', async () => {
    const backend = wordTokenizer(new BackendError(404, 'not found'));
    const counter = new TokenCounter({ backend, backendModel: 'llama' }, new TokenCache());
    await counter.prepare(['some text to count', 'another one']);
    expect(counter.kind).toBe('estimate');
    expect(counter.text('some text to count')).toBe(estimateTokens('some text to count'));
    expect(new TokenCounter({ backend, backendModel: 'llama' }, new TokenCache()).kind).toBe('estimate');
  });

  it('uses the estimate for models without a tokenizer, with a wider margin', () => {
    const counter = new TokenCounter({ backend: scripted(), backendModel: 'mistral-small' }, new TokenCache());
    expect(counter.kind).toBe('estimate');
    expect(counter.margin).toBeGreaterThan(new TokenCounter({ backend: scripted(), backendModel: 'gpt-5.4' }).margin);
  });

  it('counts images by size and detail, files by their text, and tool definitions', () => {
    const counter = new TokenCounter({ backend: scripted(), backendModel: 'gpt-5.4' }, new TokenCache());
    // A 1×1 PNG: one tile.
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    expect(counter.parts([{ type: 'image', url: png, detail: 'high' }])).toBe(255);
    expect(counter.parts([{ type: 'image', url: 'https://example.com/a.png', detail: 'low' }])).toBe(85);
    expect(counter.parts([{ type: 'image', url: 'https://example.com/a.png', detail: 'auto' }])).toBe(765);
    expect(counter.parts([{ type: 'file', filename: 'a.txt', text: 'hello there' }])).toBe(countTokens('a.txt') + countTokens('hello there'));
    const tool = { kind: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
    expect(counter.tools([tool])).toBe(3 + countTokens(JSON.stringify(tool)));
  });
});

describe('TokenCache', () => {
  it('keys long texts by hash and keeps tokenizers apart', () => {
    const cache = new TokenCache();
    const long = 'x'.repeat(20_000);
    cache.set('o200k', long, 2500);
    expect(cache.get('o200k', long)).toBe(2500);
    expect(cache.get('estimate', long)).toBeUndefined();
    expect(TokenCache.key(long).length).toBeLessThan(40);
    expect(TokenCache.key('short')).toBe('short');
  });

  it('stays within its bound', () => {
    const cache = new TokenCache({ maxKeyChars: 1_000 });
    for (let index = 0; index < 500; index++) cache.set('o200k', `text number ${index}`, index);
    expect(cache.size).toBeLessThan(60);
    expect(cache.get('o200k', 'text number 499')).toBe(499);
  });
});

describe('GenerationalCache', () => {
  it('keeps recently used entries and drops the old generation past its capacity', () => {
    const cache = new GenerationalCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // the young generation holds more than half: a, b, c become the old one
    expect(cache.get('a')).toBe(1); // a hit brings a back into the young generation
    cache.set('d', 4);
    cache.set('e', 5); // young (a, d, e) turns old; the previous old one (b, c) is dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('e')).toBe(5);
  });
});
