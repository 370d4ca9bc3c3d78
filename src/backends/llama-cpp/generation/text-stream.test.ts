import { describe, expect, it } from 'vitest';
import { TriggerScanner } from './text-stream.js';

describe('TriggerScanner', () => {
  const triggers = [
    { kind: 'stop' as const, text: '</s>' },
    { kind: 'think' as const, text: '<think>' },
  ];

  it('passes text without any trigger character straight through', () => {
    const scanner = new TriggerScanner<'stop' | 'think'>();
    expect(scanner.push('Hello world', triggers)).toEqual({ text: 'Hello world' });
    expect(scanner.push(' again', triggers)).toEqual({ text: ' again' });
  });

  it('holds a tail that may start a trigger, and finds triggers split across pushes with their offset', () => {
    const scanner = new TriggerScanner<'stop' | 'think'>();
    expect(scanner.push('Hi <thi', triggers)).toEqual({ text: 'Hi ' });
    expect(scanner.push('nk>Hmm', triggers)).toEqual({ text: '', hit: { kind: 'think', trigger: '<think>', at: 3, after: 'Hmm' } });
    expect(scanner.push('a < b', triggers)).toEqual({ text: 'a < b' });
    expect(scanner.push(' </', triggers)).toEqual({ text: ' ' });
    expect(scanner.push('x', triggers)).toEqual({ text: '</x' });
    expect(scanner.push('end</', triggers)).toEqual({ text: 'end' });
    expect(scanner.flush()).toBe('</');
  });
});
