import { describe, expect, it } from 'vitest';
import { ThinkTagSplitter, type ThinkPiece } from './think-tags.js';

function split(chunks: string[]): { reasoning: string; text: string; order: ThinkPiece['kind'][] } {
  const splitter = new ThinkTagSplitter();
  const pieces = [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
  const order = pieces.map((piece) => piece.kind).filter((kind, i, all) => i === 0 || all[i - 1] !== kind);
  return {
    reasoning: pieces.filter((piece) => piece.kind === 'reasoning').map((piece) => piece.text).join(''),
    text: pieces.filter((piece) => piece.kind === 'text').map((piece) => piece.text).join(''),
    order,
  };
}

describe('ThinkTagSplitter', () => {
  it('splits a leading think block at every cut point', () => {
    const content = '\n<think>\nStep one.\nStep two.\n</think>\n\nThe answer is 4.';
    for (let a = 0; a <= content.length; a++) {
      for (let b = a; b <= content.length; b++) {
        const result = split([content.slice(0, a), content.slice(a, b), content.slice(b)]);
        expect(result).toEqual({ reasoning: 'Step one.\nStep two.', text: 'The answer is 4.', order: ['reasoning', 'text'] });
      }
    }
  });

  it('leaves text without a leading think block alone, including a later <think>', () => {
    expect(split(['Use the ', '<think> tag', ' like </think> this.'])).toEqual({ reasoning: '', text: 'Use the <think> tag like </think> this.', order: ['text'] });
    expect(split(['<thin', 'king cap>'])).toEqual({ reasoning: '', text: '<thinking cap>', order: ['text'] });
  });

  it('flushes an unterminated block as reasoning and a partial tag as text', () => {
    expect(split(['<think>still going  '])).toEqual({ reasoning: 'still going', text: '', order: ['reasoning'] });
    expect(split(['<thi'])).toEqual({ reasoning: '', text: '<thi', order: ['text'] });
  });
});
