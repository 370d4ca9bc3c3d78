import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedMedianDifference, percentile, round, slope, summarize } from './stats.js';

test('percentile interpolates between ranks and ignores NaN (failed requests)', () => {
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(percentile([4, Number.NaN, 1, 3, 2], 0.5), 2.5);
  assert.equal(percentile([5], 0.99), 5);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test('summarize gives count of finite values, p50, p99, mean, min, max', () => {
  const values = Array.from({ length: 101 }, (_, i) => i);
  const summary = summarize([...values, Number.NaN]);
  assert.equal(summary.count, 101);
  assert.equal(summary.p50, 50);
  assert.equal(summary.p99, 99);
  assert.equal(summary.mean, 50);
  assert.equal(summary.min, 0);
  assert.equal(summary.max, 100);
});

test('pairedMedianDifference pairs by index and skips rounds where either side failed', () => {
  assert.equal(pairedMedianDifference([3, 5, 9], [1, 2, 4]), 3);
  assert.equal(pairedMedianDifference([3, Number.NaN, 9, 10], [1, 2, 4, Number.NaN]), 3.5);
});

test('slope is the least-squares fit, NaN without spread', () => {
  assert.equal(slope([0, 1, 2], [10, 12, 14]), 2);
  assert.ok(Math.abs(slope([0, 1, 2, 3], [1, 3, 2, 4]) - 0.8) < 1e-12);
  assert.ok(Number.isNaN(slope([1, 1], [2, 3])));
});

test('round keeps JSON-safe values', () => {
  assert.equal(round(1.23456, 2), 1.23);
  assert.equal(round(Number.NaN), null);
  assert.equal(round(Number.POSITIVE_INFINITY), null);
});
