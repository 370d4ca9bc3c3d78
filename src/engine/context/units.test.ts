import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../protocol/index.js';
import { groupUnits } from './units.js';

const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): InputItem => ({ type: 'message', role: 'assistant', content: text });
const developer = (text: string): InputItem => ({ type: 'message', role: 'developer', content: text });
const call = (id: string): InputItem => ({ type: 'function_call', call_id: id, name: 'run', arguments: '{}' });
const output = (id: string): InputItem => ({ type: 'function_call_output', call_id: id, output: 'done' });
const reasoning: InputItem = { type: 'reasoning', summary: [] };

const spans = (items: InputItem[]) => groupUnits(items).map((unit) => [unit.start, unit.end, unit.pinned ? 'pinned' : unit.userTurn ? 'user' : '']);

describe('groupUnits', () => {
  it('pins leading system messages and splits the rest item by item', () => {
    expect(spans([developer('rules'), user('hi'), assistant('hello'), user('bye')])).toEqual([
      [0, 1, 'pinned'],
      [1, 2, 'user'],
      [2, 3, ''],
      [3, 4, 'user'],
    ]);
  });

  it('keeps calls with their outputs, parallel ones and what lies between included', () => {
    expect(spans([user('go'), reasoning, call('a'), call('b'), output('a'), output('b'), assistant('done')])).toEqual([
      [0, 1, 'user'],
      [1, 6, ''],
      [6, 7, ''],
    ]);
  });

  it('binds reasoning to the item it precedes', () => {
    expect(spans([user('q'), reasoning, assistant('a')])).toEqual([
      [0, 1, 'user'],
      [1, 3, ''],
    ]);
  });

  it('closes a unit whose calls were abandoned when the user speaks again', () => {
    expect(spans([user('q'), call('a'), user('never mind'), assistant('ok')])).toEqual([
      [0, 1, 'user'],
      [1, 2, ''],
      [2, 3, 'user'],
      [3, 4, ''],
    ]);
  });

  it('treats every *_call / *_output pair alike (hosted tools included)', () => {
    const items: InputItem[] = [
      { type: 'computer_call', call_id: 'c', id: 'cu_1' } as InputItem,
      user('x') as InputItem,
    ];
    expect(spans([{ type: 'shell_call', call_id: 's' } as InputItem, { type: 'shell_call_output', call_id: 's' } as InputItem, ...items])).toEqual([
      [0, 2, ''],
      [2, 3, ''],
      [3, 4, 'user'],
    ]);
  });
});
