import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialMajority, pluralityBound } from './bound.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('one sample is right with probability p', () => {
  for (const p of [0.3, 0.5, 0.7]) close(pluralityBound(p, 1, 4), p);
});

test('two samples: right when both are, or half the time when they disagree', () => {
  // p² + 2p(1 − p) · ½ = p
  for (const p of [0.3, 0.5, 0.7]) close(pluralityBound(p, 2, 4), p * p + p * (1 - p));
});

test('three samples, four wrong answers, worked by hand', () => {
  const p = 0.5;
  const q = 1 - p;
  // 3 right; 2 right; 1 right against two different wrong answers (a 3-way tie, 1/3); 1 right against two equal wrong ones loses.
  const expected = p ** 3 + 3 * p * p * q + 3 * p * q * q * (3 / 4) * (1 / 3);
  close(pluralityBound(p, 3, 4), expected);
});

test('one wrong answer (yes/no): plurality is majority with fair ties', () => {
  const p = 0.6;
  close(pluralityBound(p, 3, 1), binomialMajority(p, 3));
  // n = 2: both right, or a 1–1 tie won half the time.
  close(pluralityBound(p, 2, 1), p * p + p * (1 - p));
});

test('more wrong answers make plurality stronger than strict majority', () => {
  assert.ok(pluralityBound(0.3, 16, 4) > binomialMajority(0.3, 16));
  assert.ok(pluralityBound(0.7, 16, 4) > 0.99);
});
