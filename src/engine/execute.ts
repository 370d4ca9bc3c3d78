import { BackendError, type ModelMessage, type ModelRequest, type ModelToolCall, type ModelUsage } from '../backends/types.js';
import type { SealedBox } from '../crypto/sealed-box.js';
import { emptyUsage, isTerminalEvent, type ResponseStreamEvent, type StoredItem, type Usage } from '../protocol/index.js';
import type { ResponseRecord, Store } from '../store/types.js';
import { ResponseAssembler } from './assembler.js';
import { backendFailure, type BackendFailure } from './backend-failure.js';
import { formatGrammarFeedback, GrammarError, type CompiledGrammar, type GrammarCheck } from './grammar/index.js';
import { jsonSchemaValidator } from './json-schema.js';
import { sealRequestSecrets } from './tools/mcp/secrets.js';
import type { ItemSink, StepContext } from './tools/types.js';
import type { PreparedResponse } from './prepare.js';
import { modelStep } from './reasoning/model-call.js';

/** The store record of a prepared response (its envelope as it is now); MCP credentials in the request are sealed. */
export function responseRecord(prepared: PreparedResponse, box: SealedBox): ResponseRecord {
  return {
    id: prepared.response.id,
    owner: prepared.owner,
    response: prepared.response,
    request: sealRequestSecrets(prepared.params, box),
    previousResponseId: prepared.response.previous_response_id,
    conversationId: prepared.conversationId,
    background: prepared.response.background,
  };
}

/** How a run ended badly, for transports that can still answer with an HTTP error. */
export interface RunFailure extends BackendFailure {
  /** True when no output was produced before the failure. */
  beforeOutput: boolean;
}

/** A running response: batches of numbered events, and its outcome once the iterator ends. */
export interface ResponseRun {
  readonly prepared: PreparedResponse;
  readonly events: AsyncIterable<ResponseStreamEvent[]>;
  /** Set when the run failed. */
  failure: RunFailure | null;
  /** Aborts the model call: the response ends `cancelled`, or `failed` when the reason is `'shutdown'`. */
  abort(reason?: 'shutdown'): void;
  readonly signal: AbortSignal;
}

export interface ExecuteDeps {
  store: Store;
  box: SealedBox;
  log?: (message: string) => void;
}

/** True when a batch of a run ends the response: nothing the client sees comes after it. */
export function endsResponse(batch: readonly ResponseStreamEvent[]): boolean {
  return batch.length > 0 && isTerminalEvent(batch[batch.length - 1]);
}

/** At most this many extra model calls to repair output that broke a grammar or a schema. */
const MAX_REPAIRS = 2;
/** At most this many model calls in one response (hosted tool loops included). */
const MAX_STEPS = 256;

/** Wakes the event pump when a hosted tool emits; remembers a wake that came while nobody waited. */
class Wake {
  #resolve: (() => void) | null = null;
  #pending = false;
  notify(): void {
    if (this.#resolve) {
      this.#resolve();
      this.#resolve = null;
    } else this.#pending = true;
  }
  next(): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#resolve = resolve));
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Awaits hosted work while streaming the events it emits as they happen; returns (or throws) its
 * results. An abort stops the wait at once (the work is told through the signal and closed later).
 * Work that answered synchronously (no hosted session, a hook with nothing to do) costs no waiting.
 */
async function* streamWhile<T>(tasks: (Promise<T> | T)[], assembler: ResponseAssembler, wake: Wake, signal: AbortSignal): AsyncGenerator<ResponseStreamEvent[], Awaited<T>[]> {
  if (!tasks.some(isPromiseLike)) {
    if (signal.aborted) throw signal.reason;
    const batch = assembler.drain();
    if (batch.length) yield batch;
    return tasks as Awaited<T>[];
  }
  const all = Promise.all(tasks);
  let settled = false;
  const done = all.then(
    () => (settled = true),
    () => (settled = true),
  );
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    while (!settled) {
      await Promise.race([done, wake.next(), aborted]);
      if (signal.aborted) {
        all.catch(() => {});
        throw signal.reason;
      }
      const batch = assembler.drain();
      if (batch.length) yield batch;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return all;
}

/** A custom tool's input checked against its grammar; a grammar too slow to check fails the response as the client's error. */
function checkToolInput(grammar: CompiledGrammar, call: ModelToolCall): GrammarCheck {
  try {
    return grammar.check(call.arguments);
  } catch (error) {
    if (error instanceof GrammarError) throw new BackendError(400, `The grammar of tool '${call.name}': ${error.message}`, { code: 'grammar_check_timeout' });
    throw error;
  }
}

function addUsage(total: Usage, usage: ModelUsage | undefined): void {
  if (!usage) return;
  total.input_tokens += usage.inputTokens;
  total.output_tokens += usage.outputTokens;
  total.input_tokens_details.cached_tokens += usage.cachedInputTokens ?? 0;
  total.output_tokens_details.reasoning_tokens += usage.reasoningTokens ?? 0;
  total.total_tokens = total.input_tokens + total.output_tokens;
}

/** The stored copy of an output item: always with the sealed reasoning, whatever `include` said. */
function storedOutput(assembler: ResponseAssembler, sealed: Map<string, string>): StoredItem[] {
  return assembler.response.output.map((item) => {
    const blob = sealed.get(item.id as string);
    return (blob && item.type === 'reasoning' ? { ...item, encrypted_content: blob } : item) as StoredItem;
  });
}

/**
 * Runs a prepared response: calls the backend, streams Responses events, checks custom-tool
 * grammars and JSON schemas (asking the model to repair), persists the result.
 *
 * @example
 * const run = executeResponse(prepared, deps, { storedAtStart: false });
 * for await (const batch of run.events) for (const event of batch) send(event);
 */
export function executeResponse(prepared: PreparedResponse, deps: ExecuteDeps, options: { storedAtStart: boolean }): ResponseRun {
  const controller = new AbortController();
  const sealed = new Map<string, string>();
  const backendName = prepared.model.backend.name;
  const assembler = new ResponseAssembler(prepared.response, {
    summarizeReasoning: Boolean(prepared.params.reasoning?.summary ?? prepared.params.reasoning?.generate_summary),
    toolName: prepared.tools.fromBackendName,
    sealReasoning: (text, state) => deps.box.seal({ text, state, backend: backendName }),
    includeEncrypted: prepared.includeEncrypted,
    onSealed: (itemId, blob) => sealed.set(itemId, blob),
  });
  const run: ResponseRun = {
    prepared,
    failure: null,
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    events: generate(),
  };
  const store = prepared.params.store !== false;

  // Foreground responses are written once, when they end: one commit per response on the hot path.
  let storedYet = options.storedAtStart;
  async function persist(): Promise<void> {
    if (!store) return;
    const output = storedOutput(assembler, sealed);
    // Issued in the same tick, so the store commits them together, in order.
    const writes: Promise<unknown>[] = [];
    if (storedYet) writes.push(deps.store.updateResponse(prepared.response.id, assembler.response, output));
    else writes.push(deps.store.createResponse({ ...responseRecord(prepared, deps.box), response: { ...assembler.response, output } }, prepared.inputItems));
    storedYet = true;
    if (prepared.conversationId && (assembler.response.status === 'completed' || assembler.response.status === 'incomplete')) {
      writes.push(deps.store.addConversationItems(prepared.conversationId, prepared.owner, [...prepared.inputItems, ...output]));
    }
    await Promise.all(writes);
  }

  /**
   * The final write; resolves when the terminal event may go out. When the store's reads see
   * queued writes, that is at once: the commit follows in this same turn of the event loop, before
   * any later request is read, and the client gets its answer one commit sooner. `stored` settles
   * with the write, for consumers that keep iterating (background runs); a failure is logged.
   */
  async function persistFinal(): Promise<{ stored: Promise<void> }> {
    if (!deps.store.readsSeeQueuedWrites) {
      await persist();
      return { stored: Promise.resolve() };
    }
    const stored = persist();
    stored.catch((error: unknown) => deps.log?.(`could not store response ${prepared.response.id}: ${error instanceof Error ? error.message : String(error)}`));
    return { stored };
  }

  async function* generate(): AsyncGenerator<ResponseStreamEvent[]> {
    // Steering input (POST /v1/responses/{id}/input) is accepted while the steps run.
    prepared.reasoning?.steering.open();
    try {
      yield* steps();
    } finally {
      prepared.reasoning?.steering.close();
      await prepared.hosted.close();
    }
  }

  async function* steps(): AsyncGenerator<ResponseStreamEvent[]> {
    const response = assembler.response;
    if (response.status === 'queued') {
      assembler.markInProgress();
      if (store) await persist();
    } else {
      assembler.start();
    }
    yield assembler.drain();

    const usage = emptyUsage();
    let messages: ModelMessage[] = prepared.modelRequest.messages;
    let finishReason: string | null = null;
    const hosted = prepared.hosted;
    const wake = new Wake();
    const items: ItemSink = {
      open(item) {
        const handle = assembler.openItem(item);
        wake.notify();
        return {
          item: handle.item,
          outputIndex: handle.outputIndex,
          event: (type, fields) => (handle.event(type, fields), wake.notify()),
          done: () => (handle.done(), wake.notify()),
        };
      },
      add(item) {
        assembler.openItem(item).done();
        wake.notify();
      },
    };
    const context: StepContext = {
      responseId: prepared.response.id,
      owner: prepared.owner,
      signal: controller.signal,
      items,
      get messages() {
        return messages;
      },
      usage,
    };
    const maxHostedCalls = prepared.params.max_tool_calls ?? Number.POSITIVE_INFINITY;
    let hostedCalls = 0;
    let repairs = 0;
    try {
      const started = yield* streamWhile(hosted.sessions.map((session) => session.begin?.(context)), assembler, wake, controller.signal);
      if (started.some((outcome) => outcome?.stop)) {
        assembler.complete(usage);
        const { stored } = await persistFinal();
        yield assembler.drain();
        await stored;
        return;
      }
      for (const outcome of started) if (outcome) messages = [...messages, ...outcome.messages];

      for (let step = 0; ; step++) {
        if (step >= MAX_STEPS) throw new BackendError(500, `The response stopped after ${MAX_STEPS} model calls without a final answer.`, { code: 'max_steps_exceeded' });
        for (const hook of prepared.stepHooks) {
          const [replaced] = yield* streamWhile([hook.beforeModelCall({ step, messages, ctx: context })], assembler, wake, controller.signal);
          if (replaced) messages = replaced;
          if (controller.signal.aborted) break;
        }
        if (controller.signal.aborted) break;
        const hostedTools = hostedCalls >= maxHostedCalls ? [] : hosted.modelTools();
        // A tool_choice that forces a hosted MCP server's tool offers the first call only those tools.
        const forced = step === 0 ? prepared.tools.hostedChoice : undefined;
        const request: ModelRequest = {
          ...prepared.modelRequest,
          messages,
          tools: forced ? hostedTools.filter((tool) => forced.matches(tool.name)) : [...prepared.tools.tools, ...hostedTools],
          // After a hosted step, `required` or a forced hosted tool would force tool calls forever.
          toolChoice: step > 0 && (prepared.modelRequest.toolChoice === 'required' || prepared.tools.hostedChoice) ? 'auto' : prepared.modelRequest.toolChoice,
          signal: controller.signal,
          stream: prepared.params.stream === true,
        };
        const custom = new Map<number, ModelToolCall>();
        const held = new Map<number, ModelToolCall>();
        const functionCalls = new Map<number, ModelToolCall>();
        const stepCalls: ModelToolCall[] = [];
        let heldText = '';
        let stepText = '';
        let stepReasoning = '';
        let stepReasoningState: Record<string, unknown> | undefined;
        let failure: BackendError | null = null;
        finishReason = null;
        for await (const event of modelStep(prepared.model.backend, prepared.reasoning, request, context)) {
          switch (event.type) {
            case 'text-delta':
              stepText += event.text;
              if (prepared.validateJsonSchema) heldText += event.text;
              else assembler.textDelta(event.text);
              break;
            case 'refusal-delta':
              assembler.refusalDelta(event.text);
              break;
            case 'reasoning-delta':
              stepReasoning += event.text;
              assembler.reasoningDelta(event.text);
              break;
            case 'reasoning-state':
              stepReasoningState = event.state;
              assembler.reasoningState(event.state);
              break;
            case 'tool-call-start': {
              const call: ModelToolCall = { callId: event.callId, name: event.name, arguments: '', kind: event.kind };
              stepCalls.push(call);
              if (hostedTools.length && hosted.ownerOf(event.name)) held.set(event.index, call);
              else if (event.kind === 'custom' || prepared.tools.customTools.has(event.name)) {
                call.kind = 'custom';
                custom.set(event.index, call);
              } else {
                assembler.functionCallStart(event.index, event.callId, event.name);
                functionCalls.set(event.index, call);
              }
              break;
            }
            case 'tool-call-delta': {
              const call = held.get(event.index) ?? custom.get(event.index) ?? functionCalls.get(event.index);
              if (call) call.arguments += event.argumentsDelta;
              if (functionCalls.has(event.index)) assembler.functionCallDelta(event.index, event.argumentsDelta);
              break;
            }
            case 'finish':
              finishReason = event.reason;
              addUsage(usage, event.usage);
              break;
            case 'error':
              failure = event.error;
              break;
          }
          if (controller.signal.aborted) break;
          const batch = assembler.drain();
          if (batch.length) yield batch;
          if (failure) break;
        }
        if (controller.signal.aborted) break;
        if (failure) throw failure;
        if (finishReason === null) throw new BackendError(502, 'The model backend ended its stream without finishing the response.', { code: 'upstream_stream_ended' });

        // Check what could not be constrained at generation time; ask the model to repair it.
        const feedback: { call: ModelToolCall; message: string }[] = [];
        for (const call of custom.values()) {
          const grammar = prepared.tools.grammars.get(call.name);
          const check = grammar && finishReason !== 'length' ? checkToolInput(grammar, call) : { ok: true as const };
          if (!check.ok) feedback.push({ call, message: formatGrammarFeedback(check, call.arguments) });
        }
        let schemaProblem: string | null = null;
        if (prepared.validateJsonSchema && finishReason !== 'length') {
          schemaProblem = jsonSchemaValidator(prepared.validateJsonSchema)(heldText);
        }
        if ((feedback.length || schemaProblem) && repairs < MAX_REPAIRS) {
          repairs++;
          const toolCalls = [...custom.values()];
          const repair: ModelMessage[] = [{ role: 'assistant', content: heldText, toolCalls: toolCalls.length ? toolCalls : undefined }];
          for (const call of toolCalls) {
            const problem = feedback.find((entry) => entry.call === call);
            repair.push({
              role: 'tool',
              callId: call.callId,
              kind: 'custom',
              content: [{ type: 'text', text: problem ? problem.message : 'Not run: another tool input in this turn was invalid. Send it again together with the corrected one.' }],
            });
          }
          if (schemaProblem) repair.push({ role: 'user', content: [{ type: 'text', text: `Your answer is not valid for the required JSON schema: ${schemaProblem}. Answer again with only the corrected JSON.` }] });
          messages = [...messages, ...repair];
          continue;
        }
        if (feedback.length) {
          throw new BackendError(502, `The model's input for tool '${feedback[0].call.name}' does not match the tool's grammar after ${MAX_REPAIRS} repair attempts: ${feedback[0].message}`, { code: 'invalid_tool_input' });
        }
        if (schemaProblem) throw new BackendError(502, `The model's answer does not match the JSON schema after ${MAX_REPAIRS} repair attempts: ${schemaProblem}`, { code: 'invalid_json_output' });
        if (heldText) assembler.textDelta(heldText);
        for (const call of custom.values()) assembler.customToolCall(call.callId, call.name, call.arguments);
        // Steering input that came during the last step gets a step of its own.
        const steered = held.size === 0 && custom.size === 0 && functionCalls.size === 0 && finishReason !== 'length' && prepared.reasoning?.steering.hasPending === true;
        if ((held.size === 0 && !steered) || finishReason === 'length') break;

        // Hosted tools run now; the model continues with their results unless one needs the client.
        assembler.closeStep();
        yield assembler.drain();
        const turn: ModelMessage = { role: 'assistant', content: stepText, toolCalls: stepCalls };
        if (stepReasoning) turn.reasoning = stepReasoning;
        if (stepReasoningState) turn.reasoningState = stepReasoningState;
        messages = [...messages, turn];
        // The client must answer its own calls of this step, so the response ends after the hosted ones.
        let stop = custom.size > 0 || functionCalls.size > 0;
        for (const call of held.values()) {
          if (controller.signal.aborted) break;
          hostedCalls++;
          const [outcome] = yield* streamWhile([hosted.ownerOf(call.name)!.run(call, context)], assembler, wake, controller.signal);
          messages = [...messages, ...outcome.messages];
          if (outcome.stop) stop = true;
        }
        if (controller.signal.aborted || stop) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        const failure = backendFailure(error);
        run.failure = { ...failure, beforeOutput: assembler.response.output.length === 0 };
        assembler.fail(failure.code, failure.message, usage.total_tokens ? usage : null);
        const { stored } = await persistFinal();
        yield assembler.drain();
        await stored;
        return;
      }
    }
    if (controller.signal.aborted && controller.signal.reason === 'shutdown') {
      assembler.fail('server_error', 'Kestrel was stopped while this response was running. Create it again to retry.', usage.total_tokens ? usage : null);
      const { stored } = await persistFinal();
      yield assembler.drain();
      await stored;
      return;
    }
    if (controller.signal.aborted) {
      assembler.cancel(usage.total_tokens ? usage : null);
      await persist();
      return;
    }
    const incomplete = finishReason === 'length' ? 'max_output_tokens' : finishReason === 'content_filter' ? 'content_filter' : undefined;
    assembler.complete(usage, incomplete);
    const { stored } = await persistFinal();
    yield assembler.drain();
    await stored;
  }

  return run;
}
