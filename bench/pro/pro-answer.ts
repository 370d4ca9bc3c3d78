import type { Backend, ModelMessage, ModelRequest } from '../../src/backends/types.js';
import { answerKey, judgeMessages, runSamples, selectCandidate, voteIsDecided, type Candidate, type Selection } from '../../src/engine/reasoning/pro/index.js';

export interface ProAnswerOptions {
  backend: Backend;
  model: string;
  messages: ModelMessage[];
  samples: number;
  signal: AbortSignal;
  /** Stop the remaining samples once the vote cannot change (default true). */
  earlyStop?: boolean;
  temperature?: number;
  maxOutputTokens?: number;
}

export interface ProAnswer {
  text: string;
  selection: Selection;
  /** Every sample's text, in the order they finished. */
  sampleTexts: string[];
  /** Milliseconds spent choosing (vote, judge or synthesis), after the last sample ended. */
  selectMs: number;
  /** Milliseconds of the slowest sample. */
  slowestMs: number;
  wallMs: number;
}

function request(options: Omit<ProAnswerOptions, 'samples'>, messages: ModelMessage[], signal: AbortSignal): ModelRequest {
  return {
    model: options.model,
    messages,
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: false,
    responseFormat: { type: 'text' },
    temperature: options.temperature,
    maxOutputTokens: options.maxOutputTokens,
    signal,
    stream: false,
  };
}

/**
 * The whole text of one model call (thought left out).
 *
 * @example const text = await completeText(backend, request);
 */
export async function completeText(backend: Backend, modelRequest: ModelRequest): Promise<string> {
  let text = '';
  for await (const event of backend.stream(modelRequest)) {
    if (event.type === 'text-delta') text += event.text;
    else if (event.type === 'error') throw event.error;
  }
  return text;
}

/**
 * Selection over finished sample texts, with the model as judge, and the synthesis pass when
 * selection asks for one.
 *
 * @example const { text } = await chooseAnswer(options, ['Answer: 4', 'Answer: 5', 'Answer: 4']);
 */
export async function chooseAnswer(options: Omit<ProAnswerOptions, 'samples'>, texts: string[]): Promise<{ text: string; selection: Selection }> {
  const candidates: Candidate[] = texts.map((text) => ({ text, toolCalls: [] }));
  const judge = (messages: ModelMessage[], signal: AbortSignal) => completeText(options.backend, { ...request(options, messages, signal), temperature: 0 });
  const selection = await selectCandidate(candidates, { conversation: options.messages, signal: options.signal, judge });
  if (selection.method !== 'synthesis') return { text: texts[selection.index], selection };
  const messages = judgeMessages(options.messages, selection.among.map((index) => candidates[index]), 'synthesize');
  return { text: await completeText(options.backend, { ...request(options, messages, options.signal), temperature: 0 }), selection };
}

/**
 * N samples at once (the engine's `runSamples`), stopping early once the vote is decided unless
 * `earlyStop` is false. Returns the texts by sample number.
 *
 * @example const { texts } = await drawSamples({ backend, model, messages, samples: 8, signal });
 */
export async function drawSamples(options: ProAnswerOptions): Promise<{ texts: string[]; slowestMs: number }> {
  const outcomes = await runSamples(options.samples, (_index, signal) => completeText(options.backend, request(options, options.messages, signal)), {
    signal: options.signal,
    decided:
      options.earlyStop === false
        ? undefined
        : (finished) => voteIsDecided(finished.flatMap((outcome) => (outcome.value === undefined ? [] : [answerKey(outcome.value)])), options.samples),
  });
  // By sample number, not finishing order: a short answer finishes first, and must not win ties for it.
  const texts = [...outcomes].sort((a, b) => a.index - b.index).flatMap((outcome) => (outcome.value === undefined ? [] : [outcome.value]));
  if (!texts.length) throw (outcomes.find((outcome) => outcome.error)?.error as Error | undefined) ?? new Error('Every sample failed.');
  return { texts, slowestMs: Math.max(...outcomes.map((outcome) => outcome.ms)) };
}

/**
 * Pro over one single-turn question, with the engine's own sampling and selection code: N samples
 * at once, then vote / judge / synthesis.
 *
 * @example const result = await proAnswer({ backend, model: 'qwen3:8b', messages, samples: 4, signal });
 */
export async function proAnswer(options: ProAnswerOptions): Promise<ProAnswer> {
  const started = performance.now();
  const { texts, slowestMs } = await drawSamples(options);
  const sampled = performance.now();
  const { text, selection } = await chooseAnswer(options, texts);
  const done = performance.now();
  return { text, selection, sampleTexts: texts, selectMs: done - sampled, slowestMs, wallMs: done - started };
}
