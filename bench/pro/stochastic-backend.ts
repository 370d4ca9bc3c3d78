import type { Backend, ModelEvent, ModelRequest } from '../../src/backends/types.js';
import { seededRandom } from '../../src/test-support/seeded-random.js';

export { seededRandom };

/** One question of the Pro dataset. */
export interface DatasetItem {
  id: string;
  question: string;
  answer: string;
  /** The wrong answers the stochastic backend gives, each equally likely. */
  distractors: string[];
}

// The same answer written the ways models write it: selection must see through all of them.
const TEMPLATES = [
  (answer: string) => `Let me work through it step by step.\n\nThe answer is ${answer}.`,
  (answer: string) => `Working it out carefully.\n\nAnswer: ${answer}`,
  (answer: string) => `**${answer}**`,
  (answer: string) => `After checking twice, I get $\\boxed{${answer}}$.`,
  (answer: string) => `${answer}`,
];

/** Writes numbers of four digits or more with thousands separators, as models often do. */
function withSeparators(answer: string, random: () => number): string {
  return /^\d{4,}$/.test(answer) && random() < 0.5 ? Number(answer).toLocaleString('en-US') : answer;
}

export interface StochasticBackendOptions {
  items: readonly DatasetItem[];
  /** Probability that a sample is right. */
  p: number;
  random: () => number;
  /** Milliseconds one sample takes (default 0: no waiting). */
  latencyMs?: () => number;
}

/**
 * A model double for the Pro benchmark: for a dataset question (the last user message) it answers
 * right with probability p, otherwise with one of the item's distractors chosen uniformly, in one
 * of several written forms.
 *
 * @example const backend = createStochasticBackend({ items, p: 0.5, random: seededRandom(1) });
 */
export function createStochasticBackend(options: StochasticBackendOptions): Backend & { calls: number } {
  const byQuestion = new Map(options.items.map((item) => [item.question, item]));
  const backend = {
    name: 'stochastic',
    type: 'scripted',
    calls: 0,
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      backend.calls++;
      const last = request.messages.findLast((message) => message.role === 'user');
      const question = last && last.role === 'user' ? last.content.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';
      const item = byQuestion.get(question);
      if (!item) {
        yield { type: 'text-delta', text: 'I do not know this question.' };
        yield { type: 'finish', reason: 'stop', usage: { inputTokens: 10, outputTokens: 6 } };
        return;
      }
      const random = options.random;
      const right = random() < options.p;
      const answer = right ? item.answer : item.distractors[Math.floor(random() * item.distractors.length)];
      const text = TEMPLATES[Math.floor(random() * TEMPLATES.length)](withSeparators(answer, random));
      const latency = options.latencyMs?.() ?? 0;
      if (latency > 0) await sleep(latency, request.signal);
      if (request.signal.aborted) return;
      for (let offset = 0; offset < text.length; offset += 16) yield { type: 'text-delta', text: text.slice(offset, offset + 16) };
      yield { type: 'finish', reason: 'stop', usage: { inputTokens: Math.ceil(question.length / 4), outputTokens: Math.ceil(text.length / 4) } };
    },
  };
  return backend;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
