import { randomBytes } from 'node:crypto';
import { LlamaText, type ChatModelResponse, type ChatWrapper, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type Token, type TokenBias } from 'node-llama-cpp';
import { thinkingBudget } from '../../../engine/reasoning/effort.js';
import { BackendError, type FinishReason, type ModelEvent, type ModelRequest, type ModelTool } from '../../types.js';
import { toChatFunctions, toChatHistory } from '../chat-history.js';
import { responseFormatGrammar, toolArgumentsGrammar, toolNameGrammar, type GbnfGrammar } from '../grammar/index.js';
import type { ThinkingControl } from '../thinking.js';
import { Decoder } from './decoder.js';
import { jsonMatchesSchema } from './json-check.js';
import { IncrementalDetokenizer, llamaTextString, TriggerScanner } from './text-stream.js';

/** What one generation needs from the loaded model. */
export interface GenerationContext {
  model: LlamaModel;
  wrapper: ChatWrapper;
  /** The model's thinking switches (see thinking.ts). */
  thinking: ThinkingControl;
  /** Context size of one sequence. */
  contextSize: number;
  /** A sequence to generate on (waits while all are busy); chosen once the prompt is known. */
  sequence(prompt: Token[], signal: AbortSignal): Promise<LlamaContextSequence>;
  /** The compiled grammar for a GBNF text (cached by the caller). */
  grammar(gbnf: string): Promise<LlamaGrammar>;
  sampling: { temperature: number; topP: number; topK: number; minP: number };
  /** Tokens never to sample under a grammar. */
  tokenBias?: TokenBias;
}

type TextTrigger = 'stop' | 'call' | 'think' | 'unthink';

/** How a phase of the generation ended. */
type PhaseEnd =
  | { kind: 'stop' }
  | { kind: 'length' }
  | { kind: 'aborted' }
  | { kind: 'call'; input: Token[]; injected: number };

/** Extra model calls spent on re-sampling output that a grammar could only partly constrain. */
const RESAMPLES = 2;
/** Tokens read after a tool call to see whether the model starts another one. */
const PROBE_TOKENS = 48;

function callId(): string {
  return `call_${randomBytes(18).toString('base64url').slice(0, 24)}`;
}

/** A fragment of the chat wrapper's tool-call syntax with `{{functionName}}` filled in. */
function syntaxText(fragment: unknown, name = ''): LlamaText {
  return LlamaText(fragment as string).mapValues((value) => (typeof value === 'string' ? value.split('{{functionName}}').join(name) : value));
}

/** End-of-generation answers per model and token (node-llama-cpp asks llama.cpp each time). */
const eogTokens = new WeakMap<LlamaModel, Map<Token, boolean>>();

function eogCheck(model: LlamaModel): (token: Token) => boolean {
  let known = eogTokens.get(model);
  if (!known) eogTokens.set(model, (known = new Map()));
  const cache = known;
  return (token) => {
    let eog = cache.get(token);
    if (eog === undefined) cache.set(token, (eog = model.isEogToken(token)));
    return eog;
  };
}

/** Decodes the `{"input": "…"}` a custom tool's arguments are generated as. */
function customInput(text: string): string {
  try {
    const parsed = JSON.parse(text) as { input?: unknown };
    if (typeof parsed.input === 'string') return parsed.input;
  } catch {
    // cut short (length): the raw text is all there is
  }
  return text;
}

/**
 * Generates one model turn on a sequence: renders the conversation with the model's chat wrapper,
 * reuses the sequence's matching prefix, streams text (and thoughts, for models that mark them),
 * and produces tool calls under grammars: the tool name from the offered names, the arguments from
 * the tool's JSON Schema or, for custom tools, its Lark/regex grammar. `tool_choice` `required`
 * or a named tool starts the turn inside a call; `auto` switches to the grammars when the model
 * writes the template's tool-call prefix. `text.format` JSON decodes the whole answer under the
 * schema's grammar.
 *
 * Reasoning: `reasoning.effort` picks the wrapper's or template's thinking switch (`none` turns
 * thinking off where the model can), `reasoning.budgetTokens` caps the thought (the wrapper's
 * thought suffix is inserted at the cap, and the answer follows), and `request.continuation`
 * continues a partial thought (budget forcing).
 *
 * @example for await (const event of generate(context, request)) console.log(event);
 */
export async function* generate(ctx: GenerationContext, request: ModelRequest): AsyncGenerator<ModelEvent> {
  const { model } = ctx;
  const isEog = eogCheck(model);
  const offered = request.toolChoice === 'none' ? [] : request.tools;
  const named = typeof request.toolChoice === 'object' ? request.toolChoice.name : null;
  const callable: ModelTool[] = named ? offered.filter((tool) => tool.name === named) : offered;
  const forced = callable.length > 0 && (request.toolChoice === 'required' || named !== null);
  const format: GbnfGrammar | null = forced ? null : responseFormatGrammar(request.responseFormat);
  const detectCalls = !forced && callable.length > 0 && request.toolChoice === 'auto' && !format;

  // The prompt, rendered by the chat wrapper (the GGUF's own template or its specialised equivalent),
  // set for the reasoning effort (thinking off where the model can turn it off).
  const effort = request.reasoning?.effort;
  const budget = request.reasoning?.budgetTokens ?? (effort ? thinkingBudget(effort, request.maxOutputTokens) : undefined);
  const setup = ctx.thinking.forEffort(effort, budget);
  const history = toChatHistory(request.messages);
  const settings = setup.wrapper.settings;
  const thought = settings.segments?.thought;
  let thinking = false;
  let thoughtOpen: string | null = null;
  let thoughtClose: string | null = null;
  let closeTokens: Token[] = [];
  let prefill: Token[] = [];
  /** Tokens of thought so far, counted against the budget (a continued thought's included). */
  let thoughtTokens = 0;
  /** The answer starts right after a closed thought: its leading whitespace goes. */
  let trimAnswer = false;
  // Thoughts are told apart from the answer whenever the model marks them; a turn is only made to
  // start inside a thought when the template says so and reasoning is not turned off.
  if (thought && !forced && !format) {
    const prefix = thought.prefix;
    const openedOnStart = typeof prefix === 'object' && !LlamaText.isLlamaText(prefix) && (prefix as { type?: string }).type === 'openedOnStart';
    thoughtOpen = openedOnStart ? null : llamaTextString(prefix, model);
    thoughtClose = llamaTextString(thought.suffix, model) || null;
    if (thoughtClose) {
      closeTokens = LlamaText(thought.suffix as string).tokenize(model.tokenizer);
      const response = (history[history.length - 1] as ChatModelResponse).response;
      const continuation = request.continuation;
      if (continuation) {
        // Budget forcing: the model already thought this; it thinks on, or answers after the closed thought.
        response.push({ type: 'segment', segmentType: 'thought', text: continuation.reasoning, ended: continuation.thinkingClosed });
        thinking = !continuation.thinkingClosed;
        trimAnswer = continuation.thinkingClosed;
        thoughtTokens = continuation.reasoning ? model.tokenize(continuation.reasoning).length : 0;
      } else if (openedOnStart) thinking = true;
      else if (!setup.thinking && setup.prefill) prefill = model.tokenize(setup.prefill, true);
      else if (thought.openOnResponseStart && setup.thinking) {
        response.push({ type: 'segment', segmentType: 'thought', text: '', ended: false });
        thinking = true;
      }
    }
  }
  const thoughtCap = closeTokens.length ? budget : undefined;
  const state = setup.wrapper.generateContextState({
    chatHistory: history,
    availableFunctions: offered.length ? toChatFunctions(offered) : undefined,
    documentFunctionParams: true,
  });
  const prompt = state.contextText.tokenize(model.tokenizer);
  if (prefill.length) prompt.push(...prefill);
  const contextSize = ctx.contextSize;
  if (prompt.length >= contextSize - 1) {
    throw new BackendError(400, `The input is ${prompt.length} tokens long, and this model's context here holds ${contextSize} (raise contextSize in the llama-cpp backend's config, or shorten the conversation).`, {
      code: 'context_length_exceeded',
      type: 'invalid_request_error',
    });
  }
  const maxTokens = Math.min(request.maxOutputTokens ?? Infinity, contextSize - prompt.length - 1);

  const sequence = await ctx.sequence(prompt, request.signal);
  // Reuse what the sequence already holds of this prompt (the previous turns of a conversation).
  const reused = Math.min(sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
  if (sequence.nextTokenIndex > reused) await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
  const promptRest = prompt.slice(reused);

  const outputTokens: Token[] = [];
  const decoder = new Decoder(model, sequence, {
    temperature: request.temperature ?? ctx.sampling.temperature,
    topP: request.topP ?? ctx.sampling.topP,
    topK: ctx.sampling.topK,
    minP: ctx.sampling.minP,
    seed: request.seed ?? randomBytes(4).readUInt32LE() >>> 1,
    tokenBias: ctx.tokenBias,
    repeatPenalty:
      request.presencePenalty || request.frequencyPenalty
        ? { punishTokens: () => outputTokens.slice(-64), penalty: 1, presencePenalty: request.presencePenalty ?? 0, frequencyPenalty: request.frequencyPenalty ?? 0 }
        : undefined,
  });

  const stops: string[] = [];
  for (const trigger of state.stopGenerationTriggers) {
    const text = llamaTextString(trigger, model);
    if (text) stops.push(text);
  }
  for (const stop of request.stop ?? []) if (stop) stops.push(stop);
  const calls = settings.functions;
  const callPrefix = syntaxText(calls.call.prefix);
  const callPrefixText = llamaTextString(calls.call.prefix, model) ?? '';
  const callTriggers = detectCalls && callPrefixText
    ? [callPrefixText, ` ${callPrefixText}`, `\n${callPrefixText}`, ...(calls.call.prefixAlternateMatches ?? []).map((match) => llamaTextString(match, model) ?? '').filter(Boolean)]
    : [];
  const parallel = request.parallelToolCalls && calls.parallelism && callPrefixText ? calls.parallelism : null;
  const tokenize = (text: LlamaText) => text.tokenize(model.tokenizer);

  let produced = 0;
  let reasoningProduced = 0;
  let toolCount = 0;
  const signal = request.signal;

  /** Free text (or `text.format` JSON): streams it, and stops at a trigger. */
  async function* textPhase(input: Token[]): AsyncGenerator<ModelEvent, PhaseEnd> {
    const grammar = format ? await ctx.grammar(format.gbnf) : null;
    const holdForCheck = format !== null && !format.sound && request.responseFormat.type === 'json_schema';
    for (let attempt = 0; ; attempt++) {
      let trimNext = trimAnswer;
      if (thinking && thoughtCap !== undefined && thoughtTokens >= thoughtCap) {
        // The thought was over budget before this call (a continued one, or a budget of 0): close it at once.
        input = [...input, ...closeTokens];
        produced += closeTokens.length;
        thinking = false;
        trimNext = true;
      }
      let token = await decoder.start(input, grammar);
      const base = decoder.position;
      const detokenizer = new IncrementalDetokenizer(model);
      const scanner = new TriggerScanner<TextTrigger>();
      const ends: number[] = [];
      let pendingFrom = 0;
      let text = '';
      let held = '';
      const stopTriggers = stops.map((stop) => ({ kind: 'stop' as const, text: stop }));
      const inThought = [...stopTriggers, { kind: 'unthink' as const, text: thoughtClose ?? '' }];
      const inAnswer = [...stopTriggers, ...callTriggers.map((trigger) => ({ kind: 'call' as const, text: trigger })), ...(thoughtOpen ? [{ kind: 'think' as const, text: thoughtOpen }] : [])];
      const triggers = () => (thinking ? inThought : inAnswer);
      const emit = (piece: string, out: ModelEvent[]) => {
        if (!piece) return;
        if (thinking) out.push({ type: 'reasoning-delta', text: piece });
        else {
          if (trimNext) {
            piece = piece.replace(/^\s+/, '');
            if (!piece) return;
            trimNext = false;
          }
          if (holdForCheck) held += piece;
          else out.push({ type: 'text-delta', text: piece });
        }
      };
      let end: PhaseEnd | null = null;
      while (!end) {
        if (signal.aborted) {
          await decoder.stop();
          return { kind: 'aborted' };
        }
        const out: ModelEvent[] = [];
        if (token === null || isEog(token) || produced >= maxTokens) {
          const rest = detokenizer.flush();
          const release = scanner.push(rest, []);
          emit(release.text + scanner.flush(), out);
          end = token !== null && isEog(token) ? { kind: 'stop' } : { kind: 'length' };
          await decoder.stop();
          for (const event of out) yield event;
          break;
        }
        produced++;
        if (thinking) {
          thoughtTokens++;
          reasoningProduced++;
        }
        outputTokens.push(token);
        let piece = detokenizer.push(token);
        ends.push(text.length);
        if (piece) {
          text += piece;
          for (let i = pendingFrom; i < ends.length; i++) ends[i] = text.length;
          pendingFrom = ends.length;
        }
        for (;;) {
          const { text: clear, hit } = scanner.push(piece, triggers());
          emit(clear, out);
          if (!hit) break;
          if (hit.kind === 'think' || hit.kind === 'unthink') {
            thinking = hit.kind === 'think';
            trimNext = hit.kind === 'unthink';
            piece = hit.after;
            continue;
          }
          if (hit.kind === 'stop') {
            await decoder.stop();
            end = { kind: 'stop' };
            break;
          }
          // A tool call starts: its prefix is replaced by the canonical tokens, then the grammars take over.
          const first = ends.findIndex((endAt) => endAt > hit.at);
          const keepText = text.slice(first > 0 ? ends[first - 1] : 0, hit.at);
          await decoder.truncate(base + first);
          produced -= ends.length - first;
          const keep = keepText ? model.tokenize(keepText) : [];
          const prefix = tokenize(LlamaText([parallel?.call.sectionPrefix ?? '', callPrefix]));
          produced += keep.length;
          end = { kind: 'call', input: [...keep, ...prefix], injected: prefix.length };
          break;
        }
        if (end) {
          for (const event of out) yield event;
          break;
        }
        let next: Promise<Token | null>;
        if (thinking && thoughtCap !== undefined && thoughtTokens >= thoughtCap) {
          // The thought reached its budget: what is held goes out as thought, then the thought suffix
          // is inserted after this token and the model answers.
          const rest = detokenizer.flush();
          if (rest) {
            text += rest;
            for (let i = pendingFrom; i < ends.length; i++) ends[i] = text.length;
            pendingFrom = ends.length;
          }
          emit(scanner.push(rest, []).text + scanner.flush(), out);
          const last = out.findLast((event) => event.type === 'reasoning-delta');
          if (last?.type === 'reasoning-delta') last.budgetReached = true;
          for (const close of closeTokens) {
            detokenizer.push(close);
            outputTokens.push(close);
            ends.push(text.length);
          }
          pendingFrom = ends.length;
          produced += closeTokens.length;
          thinking = false;
          trimNext = true;
          next = decoder.start([token, ...closeTokens], grammar);
        } else {
          // The next token is decoded (on llama.cpp's thread) while this one's events travel on.
          next = decoder.keep();
        }
        next.catch(() => {});
        for (const event of out) yield event;
        token = await next;
      }
      if (!holdForCheck || end.kind !== 'stop' || attempt >= RESAMPLES || jsonMatchesSchema(held, (request.responseFormat as { schema: unknown }).schema)) {
        if (held) yield { type: 'text-delta', text: held };
        return end;
      }
      // The grammar could not say all of the schema and the answer breaks it: sample it again.
      await decoder.truncate(base);
      produced -= ends.length;
      input = [];
    }
  }

  /** One tool call: its name, then its arguments, each under a grammar; then maybe the next call. */
  async function* callPhase(input: Token[], injected: number): AsyncGenerator<ModelEvent, PhaseEnd> {
    produced += injected;
    let token = await decoder.start(input, await ctx.grammar(toolNameGrammar(callable.map((tool) => tool.name)).gbnf));
    const nameTokens: Token[] = [];
    while (token !== null && !isEog(token)) {
      if (signal.aborted) return await stopWith({ kind: 'aborted' });
      if (produced >= maxTokens) return await stopWith({ kind: 'length' });
      produced++;
      nameTokens.push(token);
      token = await decoder.keep();
    }
    if (token === null) return { kind: 'length' };
    const name = model.detokenize(nameTokens, true);
    const tool = callable.find((candidate) => candidate.name === name);
    if (!tool) throw new BackendError(500, `The model named a tool that was not offered ("${name}").`, { code: 'model_error' });
    const index = toolCount++;
    yield { type: 'tool-call-start', index, callId: callId(), name, kind: tool.kind };

    const grammar = toolArgumentsGrammar(tool);
    const compiled = await ctx.grammar(grammar.gbnf);
    const hold = tool.kind === 'custom' || !grammar.sound;
    let paramsInput = tokenize(syntaxText(calls.call.paramsPrefix, name));
    produced += paramsInput.length;
    for (let attempt = 0; ; attempt++) {
      token = await decoder.start(paramsInput, compiled);
      const base = decoder.position;
      const detokenizer = new IncrementalDetokenizer(model);
      let args = '';
      let count = 0;
      while (token !== null && !isEog(token)) {
        if (signal.aborted) return await stopWith({ kind: 'aborted' });
        if (produced >= maxTokens) break;
        produced++;
        count++;
        const piece = detokenizer.push(token);
        args += piece;
        const next = decoder.keep();
        next.catch(() => {});
        if (!hold && piece) yield { type: 'tool-call-delta', index, argumentsDelta: piece };
        token = await next;
      }
      const rest = detokenizer.flush();
      args += rest;
      if (!hold && rest) yield { type: 'tool-call-delta', index, argumentsDelta: rest };
      const complete = token !== null && isEog(token);
      if (complete && tool.kind === 'function' && !grammar.sound && attempt < RESAMPLES && !jsonMatchesSchema(args, tool.parameters)) {
        await decoder.truncate(base);
        produced -= count;
        paramsInput = [];
        continue;
      }
      if (hold && args) yield { type: 'tool-call-delta', index, argumentsDelta: tool.kind === 'custom' && complete ? customInput(args) : args };
      if (!complete) return await stopWith({ kind: 'length' });
      break;
    }

    const suffix = tokenize(syntaxText(calls.call.suffix, name));
    produced += suffix.length;
    if (!parallel) {
      await decoder.stop();
      if (suffix.length) await sequence.evaluateWithoutGeneratingNewTokens(suffix);
      return { kind: 'stop' };
    }
    // Parallel calls: read what the model writes next; another call starts with the between-calls text and the prefix.
    const between = syntaxText(parallel.call.betweenCalls ?? '');
    const next = (llamaTextString(between, model) ?? '') + callPrefixText;
    token = await decoder.start(suffix, null);
    const base = decoder.position;
    const detokenizer = new IncrementalDetokenizer(model);
    let probe = '';
    for (let read = 0; token !== null && !isEog(token) && read < PROBE_TOKENS && !signal.aborted; read++) {
      probe += detokenizer.push(token);
      if (probe.length >= next.length) {
        if (probe.startsWith(next) && produced + 1 < maxTokens) {
          await decoder.truncate(base);
          const prefix = tokenize(LlamaText([between, callPrefix]));
          return { kind: 'call', input: prefix, injected: prefix.length };
        }
        break;
      }
      if (!next.startsWith(probe)) break;
      token = await decoder.keep();
    }
    await decoder.truncate(base);
    return signal.aborted ? { kind: 'aborted' } : { kind: 'stop' };
  }

  async function stopWith(end: PhaseEnd): Promise<PhaseEnd> {
    await decoder.stop();
    return end;
  }

  try {
    let end: PhaseEnd;
    if (forced) {
      const prefix = tokenize(LlamaText([parallel?.call.sectionPrefix ?? '', callPrefix]));
      end = yield* callPhase([...promptRest, ...prefix], prefix.length);
    } else {
      end = yield* textPhase(promptRest);
    }
    while (end.kind === 'call') end = yield* callPhase(end.input, end.injected);
    if (end.kind === 'aborted' || signal.aborted) return;
    const reason: FinishReason = end.kind === 'length' ? 'length' : toolCount > 0 ? 'tool_calls' : 'stop';
    const usage = { inputTokens: prompt.length, cachedInputTokens: reused, outputTokens: produced };
    yield { type: 'finish', reason, usage: reasoningProduced ? { ...usage, reasoningTokens: reasoningProduced } : usage };
  } finally {
    await decoder.stop();
  }
}
