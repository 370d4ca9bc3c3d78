import { describe, expect, it } from 'vitest';
import { CustomInputDecoder } from './custom-input.js';

/** Feeds `args` cut at every pair of positions and checks the decoded input each time. */
function decodeAllSplits(args: string): Set<string> {
  const results = new Set<string>();
  for (let a = 0; a <= args.length; a++) {
    for (let b = a; b <= args.length; b += 3) {
      const decoder = new CustomInputDecoder();
      const pieces = [args.slice(0, a), args.slice(a, b), args.slice(b)].map((piece) => decoder.push(piece));
      for (const piece of pieces) expect(piece).toBe(Buffer.from(piece, 'utf8').toString('utf8'));
      results.add(pieces.join('') + decoder.end());
    }
  }
  return results;
}

describe('CustomInputDecoder', () => {
  it('streams the `input` string whatever the cut points (escapes, \\u sequences, surrogate pairs)', () => {
    const input = 'line 1\n\t"quoted" \\ back/slash é 😀 end';
    const args = JSON.stringify({ input }).replace('é', '\\u00e9').replace('😀', '\\ud83d\\ude00').replace('/', '\\/');
    expect(JSON.parse(args)).toEqual({ input });
    expect(decodeAllSplits(args)).toEqual(new Set([input]));
    expect(decodeAllSplits(`  {\n  "input" :  ${JSON.stringify(input)} }`)).toEqual(new Set([input]));
  });

  it('emits text before the string closes', () => {
    const decoder = new CustomInputDecoder();
    expect(decoder.push('{"input": "*** Begin')).toBe('*** Begin');
    expect(decoder.push(' Patch\\n')).toBe(' Patch\n');
    expect(decoder.push('"}')).toBe('');
    expect(decoder.end()).toBe('');
  });

  it('falls back to parsing the whole arguments when `input` is not first', () => {
    const decoder = new CustomInputDecoder();
    expect(decoder.push('{"reason": "fix", "input": "a\\nb"}')).toBe('');
    expect(decoder.end()).toBe('a\nb');
  });

  it('takes a lone string field under another name, and raw text that is not JSON', () => {
    const renamed = new CustomInputDecoder();
    renamed.push('{"patch": "x"}');
    expect(renamed.end()).toBe('x');
    const raw = new CustomInputDecoder();
    raw.push('*** Begin Patch\n*** End Patch');
    expect(raw.end()).toBe('*** Begin Patch\n*** End Patch');
  });

  it('serialises a non-string input', () => {
    const decoder = new CustomInputDecoder();
    decoder.push('{"input": {"a": 1}}');
    expect(decoder.end()).toBe('{"a":1}');
  });
});
