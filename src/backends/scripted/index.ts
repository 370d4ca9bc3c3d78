import { BackendError, type Backend, type FinishReason, type ModelEvent, type ModelRequest, type ModelUsage } from '../types.js';

/** One scripted model turn. */
export interface ScriptedTurn {
  reasoning?: string;
  text?: string;
  refusal?: string;
  toolCalls?: { name: string; arguments: string | Record<string, unknown>; callId?: string; kind?: 'function' | 'custom' }[];
  finishReason?: FinishReason;
  usage?: ModelUsage;
  /** Characters per streamed delta (default 8). */
  chunkSize?: number;
  /** Delay before the first event and between deltas, in ms. */
  delayMs?: number;
  /** Fail after streaming the rest of the turn. */
  error?: { status: number; message: string; code?: string; retryAfter?: string };
}

/** Chooses the turn for a request: a fixed list (cycled in order) or a function of the request. */
export type Script = ScriptedTurn[] | ((request: ModelRequest, callIndex: number) => ScriptedTurn | Promise<ScriptedTurn>);

export interface ScriptedBackendOptions {
  name?: string;
  script: Script;
  models?: string[];
}

/**
 * The test double for a model: replays scripted turns as a real backend would stream them.
 * It records every request it receives in `calls`.
 *
 * @example
 * const backend = createScriptedBackend({ script: [{ text: 'Hello!' }] });
 */
export function createScriptedBackend(options: ScriptedBackendOptions): Backend & { calls: ModelRequest[] } {
  const calls: ModelRequest[] = [];
  let callIndex = 0;
  return {
    name: options.name ?? 'scripted',
    type: 'scripted',
    calls,
    async listModels() {
      return (options.models ?? ['scripted']).map((id) => ({ id, contextWindow: 32_768, maxOutputTokens: 8_192 }));
    },
    async *stream(request: ModelRequest): AsyncIterable<ModelEvent> {
      calls.push(request);
      const index = callIndex++;
      const script = options.script;
      const turn = typeof script === 'function' ? await script(request, index) : script[index % script.length];
      yield* playTurn(turn, request);
    },
  };
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

async function* playTurn(turn: ScriptedTurn, request: ModelRequest): AsyncIterable<ModelEvent> {
  const size = turn.chunkSize ?? 8;
  const pause = async () => {
    if (turn.delayMs) await sleep(turn.delayMs, request.signal);
  };
  let outputChars = 0;
  await pause();
  if (turn.reasoning) {
    for (const piece of chunks(turn.reasoning, size)) {
      if (request.signal.aborted) return;
      yield { type: 'reasoning-delta', text: piece };
      await pause();
    }
  }
  let text = turn.text ?? '';
  let truncated = false;
  if (request.maxOutputTokens !== undefined && text.length > request.maxOutputTokens * 4) {
    text = text.slice(0, request.maxOutputTokens * 4);
    truncated = true;
  }
  for (const piece of chunks(text, size)) {
    if (request.signal.aborted) return;
    outputChars += piece.length;
    yield { type: 'text-delta', text: piece };
    await pause();
  }
  if (turn.refusal) yield { type: 'refusal-delta', text: turn.refusal };
  const calls = truncated ? [] : turn.toolCalls ?? [];
  for (const [index, call] of calls.entries()) {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    yield { type: 'tool-call-start', index, callId: call.callId ?? `call_scripted_${index}_${Math.random().toString(36).slice(2, 10)}`, name: call.name, kind: call.kind ?? 'function' };
    for (const piece of chunks(args, size)) {
      if (request.signal.aborted) return;
      yield { type: 'tool-call-delta', index, argumentsDelta: piece };
    }
    outputChars += args.length;
    await pause();
  }
  if (turn.error) {
    yield { type: 'error', error: new BackendError(turn.error.status, turn.error.message, { code: turn.error.code, retryAfter: turn.error.retryAfter }) };
    return;
  }
  const inputChars = JSON.stringify(request.messages).length;
  yield {
    type: 'finish',
    reason: truncated ? 'length' : turn.finishReason ?? (calls.length ? 'tool_calls' : 'stop'),
    usage: turn.usage ?? {
      inputTokens: Math.ceil(inputChars / 4),
      outputTokens: Math.max(1, Math.ceil(outputChars / 4)),
      reasoningTokens: turn.reasoning ? Math.ceil(turn.reasoning.length / 4) : 0,
      cachedInputTokens: 0,
    },
  };
}
