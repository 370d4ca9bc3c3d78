import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../crypto/sealed-box.js';
import type { ApiError } from '../../protocol/errors.js';
import type { InputItem } from '../../protocol/index.js';
import { compactionItem, openCompaction, resolveCompactions } from './compaction.js';

const box = new SealedBox(randomBytes(32));
const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): InputItem => ({ type: 'message', role: 'assistant', content: text });

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a throw');
}

describe('compaction items', () => {
  const item = compactionItem(box, { summary: 'The user wants a haiku about herons.', model: 'gpt-5.4', coveredItems: 4, coveredTokens: 900 });

  it('are opaque, prefixed cmp_, and open back to their summary', () => {
    expect(item.id).toMatch(/^cmp_/);
    expect(item.encrypted_content).not.toContain('heron');
    expect(openCompaction(box, item.encrypted_content, 'input[0].encrypted_content')).toMatchObject({ kind: 'compaction', summary: 'The user wants a haiku about herons.', model: 'gpt-5.4' });
  });

  it('are refused with a 400 naming the param when altered, foreign or of another kind', () => {
    const blob = item.encrypted_content;
    const altered = blob.slice(0, -6) + (blob.endsWith('A') ? 'B' : 'A') + blob.slice(-5);
    for (const [bad, why] of [
      [altered, /altered, or it was made by a Kestrel server with another key/],
      [new SealedBox(randomBytes(32)).seal({ kind: 'compaction', summary: 'x' }), /another key/],
      ['gAAAAABopenai-blob', /not produced by this server/],
      [box.seal({ text: 'reasoning', backend: 'x' }), /not a compaction blob/],
    ] as const) {
      const error = thrown(() => openCompaction(box, bad, 'input[3].encrypted_content'));
      expect(error.status).toBe(400);
      expect(error.param).toBe('input[3].encrypted_content');
      expect(error.code).toBe('invalid_encrypted_content');
      expect(error.message).toMatch(why);
    }
  });

  it('replace what came before them with their summary and retained user messages, keeping calls answered after them', async () => {
    const state = compactionItem(box, { summary: 'Summary.', model: 'gpt-5.4', coveredItems: 6, coveredTokens: 500, retained: ['second question'] });
    const items: InputItem[] = [
      { type: 'message', role: 'developer', content: 'Rules.' },
      user('first question'),
      assistant('first answer'),
      { type: 'function_call', call_id: 'late', name: 'run', arguments: '{}' },
      { type: 'function_call', call_id: 'early', name: 'run', arguments: '{}' },
      { type: 'function_call_output', call_id: 'early', output: 'ok' },
      user('second question'),
      { ...state },
      { type: 'function_call_output', call_id: 'late', output: 'late result' },
      user('third question'),
      { type: 'compaction_trigger' } as InputItem,
    ];
    const located = items.map((entry, index) => ({ item: entry, param: `input[${index}]` }));
    const resolved = resolveCompactions(box, located);
    expect(resolved.compaction?.summary).toBe('Summary.');
    expect(resolved.replacedItems).toBe(5);
    const describe = (entry: InputItem) => (entry.type === 'message' ? `${entry.role}:${entry.content as string}` : `${entry.type}:${(entry as { call_id: string }).call_id}`);
    expect(resolved.items.map(({ item: entry }) => describe(entry))).toEqual([
      'developer:Rules.',
      'function_call:late',
      'user:second question',
      'function_call_output:late',
      'user:third question',
    ]);
    // A client that dropped what came before the compaction gets the same conversation.
    const dropped = resolveCompactions(box, located.slice(7));
    expect(dropped.items.map(({ item: entry }) => describe(entry))).toEqual(['user:second question', 'function_call_output:late', 'user:third question']);
  });

  it('verify every compaction item a client sends, not only the latest', () => {
    const forged = { type: 'compaction' as const, encrypted_content: 'ksl1.AAAA' };
    const error = thrown(() => resolveCompactions(box, [{ item: forged, param: 'input[0]' }, { item: { ...item }, param: 'input[1]' }]));
    expect(error.param).toBe('input[0].encrypted_content');
  });
});
