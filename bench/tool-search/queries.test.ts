import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlainBm25 } from './baseline.js';
import { catalogTools, SERVICES } from './catalog.js';
import { metrics } from './evaluate.js';
import { FRESH_QUERIES } from './fresh-queries.js';
import { distinctFrom, wordOverlap } from './overlap.js';
import { QUERIES } from './queries.js';

const paths = new Set(catalogTools().map((tool) => tool.path));

test('the catalogue is as large as the issue asks, with unique paths', () => {
  assert.ok(paths.size >= 1000, `${paths.size} tools`);
  assert.equal(paths.size, catalogTools().length);
  assert.ok(SERVICES.length >= 50, `${SERVICES.length} namespaces`);
});

test('every label of both query sets names a tool of the catalogue', () => {
  for (const query of [...QUERIES, ...FRESH_QUERIES]) {
    for (const path of query.expect) assert.ok(paths.has(path), `#${query.id} "${query.text}" expects unknown ${path}`);
    assert.equal(query.kind === 'nofit', query.expect.length === 0, `#${query.id}: only "nofit" requests have no answer`);
  }
});

test('query ids are unique across both sets, and the splits are fixed', () => {
  const ids = [...QUERIES, ...FRESH_QUERIES].map((query) => query.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(QUERIES.length >= 300);
  assert.ok(QUERIES.every((query, index) => query.split === (index % 3 === 2 ? 'heldout' : 'dev')));
  assert.ok(FRESH_QUERIES.every((query) => query.split === 'fresh'));
});

test('the second set does not repeat a request of the first', () => {
  const first = new Set(QUERIES.map((query) => query.text.toLowerCase()));
  for (const query of FRESH_QUERIES) assert.ok(!first.has(query.text.toLowerCase()), query.text);
});

test('metrics count recall@1, recall@5 and MRR over answerable requests only', () => {
  const queries = [
    { id: 1, text: 'a', expect: ['x'], kind: 'paraphrase' as const, lang: 'en', split: 'dev' as const },
    { id: 2, text: 'b', expect: ['y'], kind: 'paraphrase' as const, lang: 'en', split: 'dev' as const },
    { id: 3, text: 'c', expect: [], kind: 'nofit' as const, lang: 'en', split: 'dev' as const },
  ];
  const ranked: Record<string, string[]> = { a: ['x', 'z'], b: ['z', 'q', 'w', 'v', 'u', 'y'], c: ['x'] };
  assert.deepEqual(metrics(queries, (query) => ranked[query.text]), { queries: 2, recallAt1: 0.5, recallAt5: 0.5, mrr: Math.round(((1 + 1 / 6) / 2) * 1000) / 1000 });
});

test('the plain BM25 baseline matches words as written, without synonyms', () => {
  const baseline = new PlainBm25(catalogTools());
  assert.equal(baseline.search('merge pull request github', 1)[0], 'github.merge_pull_request');
  assert.deepEqual(baseline.search('zzzz qqqq', 5), []);
});

test('word overlap tells paraphrases from new requests', () => {
  assert.equal(wordOverlap('Empty the trash', 'Empty the Drive trash'), 0.75);
  assert.equal(wordOverlap('Send an email', 'Reboot the server'), 0);
  const query = (id: number, text: string) => ({ id, text, expect: [], kind: 'nofit' as const, lang: 'en', split: 'fresh' as const });
  assert.deepEqual(distinctFrom([query(1, 'Empty the trash now'), query(2, 'Reboot the server')], [query(3, 'Empty the trash')]).map((q) => q.id), [2]);
});
