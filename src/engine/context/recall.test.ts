import { describe, expect, it } from 'vitest';
import { bm25Scores } from './bm25.js';
import { splitText } from './chunks.js';
import { rankCandidates } from './recall.js';
import { termBag, termCount, termHashes } from './terms.js';

describe('terms', () => {
  it('lower-cases, drops stopwords, folds plurals and cuts CJK into bigrams', () => {
    expect(termHashes('The Vaults')).toEqual(termHashes('vault'));
    expect(termHashes('東京都')).toHaveLength(2);
    const bag = termBag('red car, red bike');
    expect(termCount(bag, termHashes('red')[0])).toBe(2);
    expect(termCount(bag, termHashes('blue')[0])).toBe(0);
  });
});

describe('BM25', () => {
  it('prefers rare terms and repeated matches', () => {
    const documents = ['the weather is nice today', 'the passphrase is orange kangaroo', 'weather, weather and more weather'].map(termBag);
    const scores = bm25Scores(documents, termHashes('what is the passphrase for the weather'));
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[2]).toBeGreaterThan(scores[0]);
    expect(bm25Scores(documents, [])).toEqual(new Float64Array(3));
  });
});

describe('splitText', () => {
  it('cuts at paragraph, line, sentence or word boundaries within the size', () => {
    const text = 'First paragraph here.\n\nSecond paragraph that is longer. It has two sentences.';
    const pieces = splitText(text, 40);
    expect(pieces[0]).toBe('First paragraph here.');
    expect(pieces.every((piece) => piece.length <= 40)).toBe(true);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('rankCandidates', () => {
  it('leaves out chunks that match nothing', async () => {
    const candidates = ['apples and pears', 'the vault code is 1234', 'nothing relevant'].map((text, unit) => ({ chunk: { text, bag: termBag(text) }, unit }));
    const ranking = await rankCandidates(candidates, { query: 'vault code?' });
    expect(ranking).toEqual({ order: [1], method: 'bm25' });
  });
});
