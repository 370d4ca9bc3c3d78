import { BackendError, type FinishReason, type ModelEvent, type ModelRequest, type ModelToolCall, type ModelUsage } from '../../../backends/types.js';
import type { ProUsageDetails } from '../../../protocol/index.js';
import type { StepContext } from '../../tools/types.js';
import type { NamedVerifier } from '../environment.js';
import { SummaryItem } from '../summary-item.js';
import { answerKey } from './answer.js';
import { judgeMessages } from './judge.js';
import { runSamples } from './samples.js';
import { selectCandidate, voteIsDecided, type Candidate, type Selection } from './select.js';
import { runVerifier } from './verifier.js';

/** One model call (budget forcing already applied when configured). */
export type ModelCall = (request: ModelRequest) => AsyncIterable<ModelEvent>;

export interface ProStepOptions {
  samples: number;
  verifier?: NamedVerifier;
  call: ModelCall;
}

/** A finished sample: its events (without `finish`) to replay, and what selection reads. */
interface Sample extends Candidate {
  events: ModelEvent[];
  usage: ModelUsage;
  reason: FinishReason;
}

const ZERO: ModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };

function plus(a: ModelUsage, b: ModelUsage | undefined): ModelUsage {
  if (!b) return a;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0),
    reasoningTokens: (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0),
  };
}

/** Runs one call to its end, keeping its events; an `error` event is thrown. */
async function collectSample(events: AsyncIterable<ModelEvent>): Promise<Sample> {
  const kept: ModelEvent[] = [];
  const calls = new Map<number, ModelToolCall>();
  let text = '';
  let usage: ModelUsage = { ...ZERO };
  let reason: FinishReason | null = null;
  for await (const event of events) {
    switch (event.type) {
      case 'error':
        throw event.error;
      case 'finish':
        reason = event.reason;
        usage = plus(usage, event.usage);
        continue;
      case 'text-delta':
        text += event.text;
        break;
      case 'tool-call-start':
        calls.set(event.index, { callId: event.callId, name: event.name, arguments: '', kind: event.kind });
        break;
      case 'tool-call-delta': {
        const call = calls.get(event.index);
        if (call) call.arguments += event.argumentsDelta;
        break;
      }
    }
    kept.push(event);
  }
  if (reason === null) throw new BackendError(502, 'The model backend ended its stream without finishing the response.', { code: 'upstream_stream_ended' });
  return { events: kept, text, toolCalls: [...calls.values()], usage, reason };
}

/** A waker for the generator: progress notes arrive from sample callbacks. */
function signalQueue() {
  let notify: (() => void) | null = null;
  let pending = false;
  return {
    ping() {
      if (notify) {
        notify();
        notify = null;
      } else pending = true;
    },
    wait(): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => (notify = resolve));
    },
  };
}

function describe(selection: Selection, count: number, verifier: NamedVerifier | undefined): string {
  switch (selection.method) {
    case 'single':
      return 'One candidate finished: it is the answer.';
    case 'vote': {
      const top = selection.vote.counts[0];
      return `Chose the answer ${top.votes} of ${count} candidates agree on.`;
    }
    case 'verifier': {
      const passed = selection.verdicts.filter((verdict) => verdict?.passed).length;
      return `${passed} of ${count} candidates passed the ${verifier?.name ?? ''} check; chose candidate ${selection.index + 1}${selection.vote ? ` (the answer ${selection.vote.counts[0].votes} of them agree on)` : ''}.`;
    }
    case 'judge':
      return `Compared the candidates and chose candidate ${selection.index + 1}.`;
    case 'synthesis':
      return `Writing the final answer from the best of ${selection.among.length} candidates.`;
  }
}

/**
 * Pro for one model step: `samples` calls at once, progress streamed as reasoning summary parts
 * ("3 of 4 candidates done"), then selection (vote, verifier, judge or synthesis). Yields the events
 * of the chosen candidate (or of the synthesis) as if one call had made them, and one `finish` whose
 * usage sums every sample and the selection; `ctx.usage.pro_details` lists them apart. Every sample
 * stops when `request.signal` aborts.
 *
 * @example
 * for await (const event of proModelStream(request, ctx, { samples: 4, call: (r) => backend.stream(r) })) handle(event);
 */
export async function* proModelStream(request: ModelRequest, ctx: StepContext, options: ProStepOptions): AsyncGenerator<ModelEvent> {
  const total = options.samples;
  const progress = new SummaryItem(ctx.items);
  const wake = signalQueue();
  const notes: string[] = [`Working on ${total} candidate answers in parallel.`];
  let failed = 0;
  const outcomesPromise = runSamples(total, (_index, signal) => collectSample(options.call({ ...request, signal, stream: false })), {
    signal: request.signal,
    onSettled: (outcome, done) => {
      if (outcome.error !== undefined) failed++;
      if (!outcome.stopped) notes.push(`${done} of ${total} candidates done${failed ? ` (${failed} failed)` : ''}.`);
      wake.ping();
    },
    // Without a verifier, a vote that the remaining samples cannot overturn ends the sampling.
    decided: options.verifier
      ? undefined
      : (finished) => {
          const samples = finished.flatMap((outcome) => (outcome.value ? [outcome.value] : []));
          if (samples.some((sample) => sample.toolCalls.length)) return false;
          const keys = samples.map((sample) => answerKey(sample.text));
          if (keys.some((key) => key === null)) return false;
          const decided = voteIsDecided(keys, total - failed);
          if (decided) notes.push('The vote is decided: the remaining candidates were stopped.');
          return decided;
        },
  });
  let settled = false;
  void outcomesPromise.finally(() => {
    settled = true;
    wake.ping();
  });
  try {
    // Stream progress while the samples run; an empty delta lets the engine send it at once.
    while (!settled || notes.length) {
      for (const note of notes.splice(0)) progress.part(note);
      yield { type: 'text-delta', text: '' };
      if (!settled) await wake.wait();
    }
    const outcomes = await outcomesPromise;
    if (request.signal.aborted) return;
    const finished = [...outcomes].sort((a, b) => a.index - b.index);
    const samples = finished.flatMap((outcome) => (outcome.value ? [outcome.value] : []));
    const details: ProUsageDetails = {
      samples: finished.map((outcome) => {
        const usage = outcome.value?.usage ?? ZERO;
        return { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, reasoning_tokens: usage.reasoningTokens ?? 0 };
      }),
      selection: { method: 'single', input_tokens: 0, output_tokens: 0 },
    };
    if (!samples.length) {
      const error = finished.find((outcome) => outcome.error !== undefined)?.error;
      progress.close('incomplete');
      yield { type: 'error', error: error instanceof BackendError ? error : new BackendError(502, `Every Pro sample failed: ${(error as Error | undefined)?.message ?? 'no answer'}`, { code: 'upstream_error' }) };
      return;
    }
    let usage = samples.reduce((sum, sample) => plus(sum, sample.usage), { ...ZERO });
    let selectionUsage: ModelUsage = { ...ZERO };

    if (samples.length > 1) progress.part(options.verifier ? `Checking the candidates with ${options.verifier.name}.` : 'Choosing the best answer.');
    yield { type: 'text-delta', text: '' };
    const judgeRequest = (messages: ModelRequest['messages'], signal: AbortSignal): ModelRequest => ({
      ...request,
      messages,
      tools: [],
      toolChoice: 'auto',
      responseFormat: { type: 'text' },
      continuation: undefined,
      signal,
      stream: false,
    });
    const selection = await selectCandidate(samples, {
      conversation: request.messages,
      signal: request.signal,
      verify: options.verifier ? (candidate, signal) => runVerifier(options.verifier!.config, candidate.text, signal) : undefined,
      judge: async (messages, signal) => {
        const judged = await collectSample(options.call(judgeRequest(messages, signal)));
        selectionUsage = plus(selectionUsage, judged.usage);
        return judged.text;
      },
    });
    if (request.signal.aborted) return;
    progress.part(describe(selection, samples.length, options.verifier));
    progress.close();

    let reason: FinishReason;
    if (selection.method === 'synthesis') {
      const messages = judgeMessages(request.messages, selection.among.map((index) => samples[index]), 'synthesize');
      reason = 'stop';
      for await (const event of options.call({ ...request, messages, tools: [], toolChoice: 'auto', continuation: undefined })) {
        if (event.type === 'finish') {
          reason = event.reason;
          selectionUsage = plus(selectionUsage, event.usage);
          continue;
        }
        yield event;
        if (event.type === 'error') return;
      }
    } else {
      const chosen = samples[selection.index];
      reason = chosen.reason;
      yield* chosen.events;
    }
    usage = plus(usage, selectionUsage);
    details.selection = { method: selection.method, input_tokens: selectionUsage.inputTokens, output_tokens: selectionUsage.outputTokens };
    recordDetails(ctx, details);
    yield { type: 'finish', reason, usage };
  } finally {
    progress.close('incomplete');
  }
}

/** Adds one step's Pro details to the response's usage (several Pro steps add up per sample). */
function recordDetails(ctx: StepContext, details: ProUsageDetails): void {
  if (!ctx.usage) return;
  const existing = ctx.usage.pro_details;
  if (!existing) {
    ctx.usage.pro_details = details;
    return;
  }
  details.samples.forEach((sample, index) => {
    const into = existing.samples[index];
    if (!into) existing.samples[index] = sample;
    else {
      into.input_tokens += sample.input_tokens;
      into.output_tokens += sample.output_tokens;
      into.reasoning_tokens += sample.reasoning_tokens;
    }
  });
  existing.selection = {
    method: details.selection.method,
    input_tokens: existing.selection.input_tokens + details.selection.input_tokens,
    output_tokens: existing.selection.output_tokens + details.selection.output_tokens,
  };
}
