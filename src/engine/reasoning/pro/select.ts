import type { ModelMessage, ModelToolCall } from '../../../backends/types.js';
import { answerKey } from './answer.js';
import { judgeMessages, parseJudgeChoice } from './judge.js';
import type { Verdict } from './verifier.js';
import { pluralityVote, type VoteResult } from './vote.js';

/** One finished sample, as selection sees it. */
export interface Candidate {
  /** The final text of the sample's last message. */
  text: string;
  /** Client-side tool calls the sample ended on (then it has no final answer yet). */
  toolCalls: readonly ModelToolCall[];
}

/** How the answer was chosen. Indices are positions in the candidate list given. */
export type Selection =
  | { method: 'single'; index: number }
  | { method: 'vote'; index: number; vote: VoteResult }
  | { method: 'verifier'; index: number; verdicts: (Verdict | null)[]; vote?: VoteResult }
  | { method: 'judge'; index: number; reply: string | null }
  /** The caller runs a synthesis pass (see `judgeMessages(…, 'synthesize')`) over these candidates. */
  | { method: 'synthesis'; among: number[]; verdicts?: (Verdict | null)[] };

export interface SelectOptions {
  /** The conversation the candidates answered (for the judge). */
  conversation: readonly ModelMessage[];
  signal: AbortSignal;
  /** Checks one candidate (a configured verifier); candidates that pass are preferred. */
  verify?: (candidate: Candidate, signal: AbortSignal) => Promise<Verdict>;
  /** One non-streamed model call that returns its text (the judge's reply). */
  judge?: (messages: ModelMessage[], signal: AbortSignal) => Promise<string>;
  /** Whether a synthesis pass may answer instead of one candidate (text answers without tool calls). Default true. */
  allowSynthesis?: boolean;
}

/** Verifiers run at most this many at once (they are often test suites). */
const VERIFY_CONCURRENCY = 2;

/**
 * Chooses among finished candidates:
 * 1. a verifier, when configured, keeps only the candidates that pass (if any does);
 * 2. when at least half of them state a short closed-form answer, the plurality of normalised
 *    answers wins (ties: the one listed first; list candidates by sample number);
 * 3. else, among verified candidates, the first listed that passed;
 * 4. else candidates ending on tool calls (or with synthesis off) go to the judge, which names one;
 * 5. else the caller writes a synthesis of them with the model.
 *
 * @example
 * const selection = await selectCandidate([{ text: '42', toolCalls: [] }, { text: '41', toolCalls: [] }, { text: '42', toolCalls: [] }], { conversation, signal });
 * // { method: 'vote', index: 0, vote: { key: '42', … } }
 */
export async function selectCandidate(candidates: readonly Candidate[], options: SelectOptions): Promise<Selection> {
  if (candidates.length === 0) throw new Error('selectCandidate needs at least one candidate.');
  if (candidates.length === 1) return { method: 'single', index: 0 };
  let pool = candidates.map((_candidate, index) => index);
  let verdicts: (Verdict | null)[] | undefined;
  if (options.verify) {
    verdicts = await verifyAll(candidates, options.verify, options.signal);
    const passing = pool.filter((index) => verdicts![index]?.passed);
    if (passing.length) {
      pool = passing;
      if (pool.length === 1) return { method: 'verifier', index: pool[0], verdicts };
    }
  }
  const verified = verdicts !== undefined && verdicts.some((verdict) => verdict?.passed);

  const keys = pool.map((index) => (candidates[index].toolCalls.length ? null : answerKey(candidates[index].text)));
  const voters = keys.filter((key) => key !== null).length;
  if (voters > 0 && voters * 2 >= pool.length) {
    const vote = pluralityVote(keys)!;
    const index = pool[vote.index];
    return verified ? { method: 'verifier', index, verdicts: verdicts!, vote } : { method: 'vote', index, vote };
  }
  if (verified) return { method: 'verifier', index: pool[0], verdicts: verdicts! };

  const callsTools = pool.some((index) => candidates[index].toolCalls.length > 0);
  if (callsTools || options.allowSynthesis === false) {
    if (!options.judge) return { method: 'judge', index: pool[0], reply: null };
    const messages = judgeMessages(options.conversation, pool.map((index) => candidates[index]), 'pick');
    const reply = await options.judge(messages, options.signal);
    const choice = parseJudgeChoice(reply, pool.length);
    return { method: 'judge', index: pool[choice ?? 0], reply };
  }
  return verdicts ? { method: 'synthesis', among: pool, verdicts } : { method: 'synthesis', among: pool };
}

async function verifyAll(candidates: readonly Candidate[], verify: NonNullable<SelectOptions['verify']>, signal: AbortSignal): Promise<(Verdict | null)[]> {
  const verdicts: (Verdict | null)[] = candidates.map(() => null);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length && !signal.aborted) {
      const index = next++;
      // A candidate still calling tools has nothing to verify yet.
      if (candidates[index].toolCalls.length) continue;
      try {
        verdicts[index] = await verify(candidates[index], signal);
      } catch {
        verdicts[index] = null;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, candidates.length) }, worker));
  return verdicts;
}

/**
 * True when the votes so far decide a plurality vote of `total` samples: the leader is ahead of
 * the runner-up by more than the samples still running could add.
 *
 * @example voteIsDecided(['42', '42', '42'], 4) // true
 */
export function voteIsDecided(keys: readonly (string | null)[], total: number): boolean {
  const vote = pluralityVote(keys);
  if (!vote) return false;
  const remaining = total - keys.length;
  const runnerUp = vote.counts[1]?.votes ?? 0;
  return vote.counts[0].votes > runnerUp + remaining;
}
