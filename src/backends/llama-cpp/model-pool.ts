import { statSync } from 'node:fs';
import { chatWrappers, GgufInsights, resolveChatWrapper, TokenBias, type ChatWrapper, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaEmbeddingContext, type LlamaGrammar, type LlamaModel, type ResolvableChatWrapperTypeName, type Token } from 'node-llama-cpp';
import type { ReasoningEffort } from '../types.js';
import { busySequencesSchedule, queuedSequences } from './batch-dispatch.js';
import { invalidUtf8Tokens } from './generation/utf8-guard.js';
import { checkModelFile, formatBytes, ModelFileError, type LocalModel } from './model-files.js';
import { thinkingControl, type ThinkingControl } from './thinking.js';

/**
 * Loaded models, shared by every request: one llama.cpp context per model with N sequences, so
 * N requests for the same model run at once (their tokens are evaluated in shared batches).
 * Models are loaded on first use and unloaded when idle, and what is loaded stays under a memory
 * cap: an idle model is unloaded to make room, and a load waits for a busy one to finish.
 */

export interface ModelPoolOptions {
  llama: () => Promise<Llama>;
  memoryCapBytes: number;
  idleUnloadMs: number;
  /** Context per sequence; null: the model's training context, at most 8192. */
  contextSize: number | null;
  parallelSequences: number;
  threads: number | null;
  batchSize: number | null;
  embeddingContextSize: number;
  /** Chat wrapper type (`auto`: the GGUF's Jinja template, or the specialised wrapper equivalent to it). */
  chatWrapper: ResolvableChatWrapperTypeName;
}

/** A model in memory, with what requests need of it. */
export interface LoadedModel {
  readonly name: string;
  readonly model: LlamaModel;
  readonly wrapper: ChatWrapper;
  /** How `reasoning.effort` reaches this model (thinking switches, levels). */
  readonly thinking: ThinkingControl;
  readonly contextSize: number;
  /** Tokens never sampled (bytes that cannot be part of valid UTF-8), or undefined when there are none. */
  readonly tokenBias: TokenBias | undefined;
  /** The compiled grammar for a GBNF text (cached per model pool). */
  grammar(gbnf: string): Promise<LlamaGrammar>;
}

/** A request's hold on a loaded model: it stays loaded until released. */
export interface ModelLease {
  readonly loaded: LoadedModel;
  /** A free sequence, preferring one that already holds the longest part of `prompt`; waits when all are busy. */
  sequence(prompt: Token[], signal?: AbortSignal): Promise<LlamaContextSequence>;
  /** The model's embedding context (created on first use). */
  embeddingContext(): Promise<LlamaEmbeddingContext>;
  /** Gives back the sequence (if any) and the hold. */
  release(): void;
}

interface Slot {
  key: string;
  loaded: LoadedModel;
  context: LlamaContext;
  bytes: number;
  free: LlamaContextSequence[];
  waiters: { resolve: (sequence: LlamaContextSequence) => void; prompt: Token[] }[];
  leases: number;
  lastUsed: number;
  idleTimer: NodeJS.Timeout | null;
  embedding: Promise<LlamaEmbeddingContext> | null;
}

const GRAMMAR_CACHE = 128;

/**
 * Chat wrapper types found for model files. Finding one compares the GGUF's Jinja template with
 * every specialised wrapper (seconds of work), so a model loaded again reuses the answer.
 */
const wrapperTypes = new Map<string, ResolvableChatWrapperTypeName>();

function chatWrapperFor(model: LlamaModel, path: string, type: ResolvableChatWrapperTypeName): ChatWrapper {
  if (type !== 'auto') return resolveChatWrapper(model, { type });
  const stat = statSync(path);
  const key = `${path}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  const known = wrapperTypes.get(key);
  const wrapper = resolveChatWrapper(model, { type: known ?? 'auto' });
  if (!known) {
    const found = Object.entries(chatWrappers).find(([, kind]) => wrapper.constructor === kind);
    if (found) wrapperTypes.set(key, found[0] as ResolvableChatWrapperTypeName);
  }
  return wrapper;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * @example
 * const pool = new ModelPool({ llama: () => getLlama({ gpu: false }), memoryCapBytes: 8 << 30, idleUnloadMs: 600_000, contextSize: 4096, parallelSequences: 2, threads: null, batchSize: null, embeddingContextSize: 2048 });
 * const lease = await pool.lease(model);
 * try { const sequence = await lease.sequence(tokens); … } finally { lease.release(); }
 */
export class ModelPool {
  private readonly slots = new Map<string, Slot>();
  private readonly loading = new Map<string, Promise<Slot>>();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** Effort levels of the model files loaded so far (kept after unloading): path → levels. */
  private readonly efforts = new Map<string, readonly ReasoningEffort[] | undefined>();
  private used = 0;
  private roomWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: ModelPoolOptions) {}

  /** Loads `file` if needed and holds it. Throws {@link ModelFileError} for files that cannot be used. */
  async lease(file: LocalModel, signal?: AbortSignal): Promise<ModelLease> {
    if (this.closed) throw new Error('The llama-cpp backend is closed.');
    const key = file.path;
    let slot = this.slots.get(key);
    if (!slot) {
      let pending = this.loading.get(key);
      if (!pending) {
        pending = this.load(file, signal).finally(() => this.loading.delete(key));
        this.loading.set(key, pending);
      }
      slot = await pending;
    }
    return this.hold(slot);
  }

  /** What is loaded now (for status lines and tests). */
  loadedModels(): { name: string; bytes: number; busySequences: number }[] {
    return [...this.slots.values()].map((slot) => ({ name: slot.loaded.name, bytes: slot.bytes, busySequences: this.options.parallelSequences - slot.free.length }));
  }

  /** The reasoning levels of a model file, once it has been loaded (undefined: every level, or not known yet). */
  reasoningEfforts(path: string): readonly ReasoningEffort[] | undefined {
    return this.efforts.get(path);
  }

  /** Bytes the loaded models are estimated to use. */
  get usedBytes(): number {
    return this.used;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.loading.values()]);
    await Promise.all([...this.slots.values()].map((slot) => this.unload(slot)));
  }

  private hold(slot: Slot): ModelLease {
    slot.leases++;
    slot.lastUsed = Date.now();
    if (slot.idleTimer) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
    }
    let sequence: LlamaContextSequence | null = null;
    let released = false;
    return {
      loaded: slot.loaded,
      sequence: async (prompt, signal) => {
        if (sequence) return sequence;
        sequence = await this.takeSequence(slot, prompt, signal);
        return sequence;
      },
      embeddingContext: () => this.embedding(slot),
      release: () => {
        if (released) return;
        released = true;
        if (sequence) this.giveSequence(slot, sequence);
        slot.leases--;
        slot.lastUsed = Date.now();
        if (slot.leases === 0) this.idle(slot);
        this.wakeRoomWaiters();
      },
    };
  }

  private takeSequence(slot: Slot, prompt: Token[], signal?: AbortSignal): Promise<LlamaContextSequence> {
    if (slot.free.length) {
      let best = 0;
      let bestLength = -1;
      slot.free.forEach((candidate, index) => {
        const length = candidate.compareContextTokens(prompt).firstDifferentIndex;
        if (length > bestLength) {
          best = index;
          bestLength = length;
        }
      });
      return Promise.resolve(slot.free.splice(best, 1)[0]);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        prompt,
        resolve: (sequence: LlamaContextSequence) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(sequence);
        },
      };
      const onAbort = () => {
        slot.waiters = slot.waiters.filter((entry) => entry !== waiter);
        reject(abortError(signal!));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.waiters.push(waiter);
    });
  }

  private giveSequence(slot: Slot, sequence: LlamaContextSequence): void {
    const waiter = slot.waiters.shift();
    if (waiter) waiter.resolve(sequence);
    else slot.free.push(sequence);
  }

  private idle(slot: Slot): void {
    if (this.options.idleUnloadMs <= 0 || this.closed) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.leases === 0 && this.slots.get(slot.key) === slot) void this.unload(slot);
    }, this.options.idleUnloadMs);
    slot.idleTimer.unref();
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Unloads idle models (least recently used first) until `bytes` more fit under the cap; waits while the rest are busy. */
  private async makeRoom(bytes: number, signal?: AbortSignal): Promise<void> {
    while (this.used + bytes > this.options.memoryCapBytes) {
      const idle = [...this.slots.values()].filter((slot) => slot.leases === 0).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle) {
        await this.unload(idle);
        continue;
      }
      if (signal?.aborted) throw abortError(signal);
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(abortError(signal!));
        signal?.addEventListener('abort', onAbort, { once: true });
        this.roomWaiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  private async load(file: LocalModel, signal?: AbortSignal): Promise<Slot> {
    const info = await checkModelFile(file);
    const llama = await this.options.llama();
    const insights = await GgufInsights.from(info, llama);
    if (!insights.isSupportedByLlamaCpp) {
      throw new ModelFileError('unsupported', `${file.path}: the model architecture "${info.metadata.general?.architecture ?? 'unknown'}" is not supported by this build of llama.cpp.`);
    }
    const train = insights.trainContextSize ?? 4096;
    const contextSize = this.options.contextSize ?? Math.min(train, 8192);
    const sequences = this.options.parallelSequences;
    const weights = insights.estimateModelResourceRequirements({ gpuLayers: 0, useMmap: false }).cpuRam;
    const context = insights.estimateContextResourceRequirements({ contextSize, modelGpuLayers: 0, sequences, batchSize: this.options.batchSize ?? undefined }).cpuRam;
    const bytes = weights + context;
    if (bytes > this.options.memoryCapBytes) {
      throw new ModelFileError(
        'too-large',
        `The model ${file.name} needs about ${formatBytes(bytes)} of memory (${formatBytes(weights)} of weights, ${formatBytes(context)} for ${sequences} sequence${sequences === 1 ? '' : 's'} of ${contextSize} tokens), more than the llama-cpp backend's memory cap of ${formatBytes(this.options.memoryCapBytes)}. Raise memoryCapBytes, or lower contextSize or parallelSequences.`,
      );
    }
    await this.makeRoom(bytes, signal);
    if (this.closed) throw new Error('The llama-cpp backend is closed.');
    this.used += bytes;
    let model: LlamaModel | null = null;
    try {
      model = await llama.loadModel({ modelPath: file.path, gpuLayers: llama.gpu === false ? 0 : 'auto' });
      let created: LlamaContext | null = null;
      let slotRef: Slot | null = null;
      const llamaContext = await model.createContext({
        contextSize,
        sequences,
        threads: this.options.threads ?? undefined,
        batchSize: this.options.batchSize ?? undefined,
        ignoreMemorySafetyChecks: true,
        // Decode as soon as every sequence in use has its token queued (see batch-dispatch.ts).
        batching: { dispatchSchedule: busySequencesSchedule(() => (slotRef ? sequences - slotRef.free.length : sequences), () => queuedSequences(created)) },
      });
      created = llamaContext;
      const sequencesList = Array.from({ length: sequences }, () => llamaContext.getSequence());
      const loadedModel = model;
      const never = invalidUtf8Tokens(info);
      const wrapper = chatWrapperFor(loadedModel, file.path, this.options.chatWrapper);
      const thinking = thinkingControl(wrapper);
      this.efforts.set(file.path, thinking.levels);
      const slot: Slot = {
        key: file.path,
        loaded: {
          name: file.name,
          model: loadedModel,
          wrapper,
          thinking,
          contextSize: llamaContext.contextSize,
          tokenBias: never.length ? new TokenBias(loadedModel.tokenizer).set(never as never, 'never') : undefined,
          grammar: (gbnf) => this.grammar(llama, gbnf),
        },
        context: llamaContext,
        bytes,
        free: sequencesList,
        waiters: [],
        leases: 0,
        lastUsed: Date.now(),
        idleTimer: null,
        embedding: null,
      };
      slotRef = slot;
      this.slots.set(slot.key, slot);
      return slot;
    } catch (error) {
      this.used -= bytes;
      await model?.dispose().catch(() => {});
      this.wakeRoomWaiters();
      if (error instanceof ModelFileError) throw error;
      throw new ModelFileError('unreadable', `llama.cpp could not load ${file.path}: ${(error as Error).message}.`);
    }
  }

  private embedding(slot: Slot): Promise<LlamaEmbeddingContext> {
    slot.embedding ??= slot.loaded.model
      .createEmbeddingContext({
        contextSize: Math.min(this.options.embeddingContextSize, slot.loaded.model.trainContextSize || this.options.embeddingContextSize),
        threads: this.options.threads ?? undefined,
        ignoreMemorySafetyChecks: true,
      })
      .catch((error: Error) => {
        slot.embedding = null;
        throw error;
      });
    return slot.embedding;
  }

  private grammar(llama: Llama, gbnf: string): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(gbnf);
    if (grammar) {
      this.grammars.delete(gbnf);
      this.grammars.set(gbnf, grammar);
      return grammar;
    }
    grammar = llama.createGrammar({ grammar: gbnf });
    grammar.catch(() => this.grammars.delete(gbnf));
    this.grammars.set(gbnf, grammar);
    if (this.grammars.size > GRAMMAR_CACHE) this.grammars.delete(this.grammars.keys().next().value!);
    return grammar;
  }

  private async unload(slot: Slot): Promise<void> {
    if (this.slots.get(slot.key) !== slot) return;
    this.slots.delete(slot.key);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    const embedding = await slot.embedding?.catch(() => null);
    await embedding?.dispose();
    await slot.context.dispose();
    await slot.loaded.model.dispose();
    this.used -= slot.bytes;
    this.wakeRoomWaiters();
  }
}
