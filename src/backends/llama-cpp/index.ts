import { statSync } from 'node:fs';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { BackendError, type Backend, type BackendConfig, type BackendModelInfo, type ModelEvent, type ModelRequest } from '../types.js';
import { generate } from './generation/generate.js';
import { describeModel, ModelFileError, scanModels, type LocalModel, type ModelDetails } from './model-files.js';
import { ModelPool, type ModelLease } from './model-pool.js';
import { readLlamaCppOptions, type LlamaCppOptions } from './options.js';

export { checkModelFile, describeModel, formatBytes, hasModels, ModelFileError, scanModels, type LocalModel, type ModelDetails } from './model-files.js';
export { readLlamaCppOptions, type LlamaCppOptions } from './options.js';

/** The `llama-cpp` backend, plus what the CLI and tests look at. */
export interface LlamaCppBackend extends Backend {
  readonly options: LlamaCppOptions;
  /** The GGUF models it serves now (the models folder is read again at most once a second). */
  localModels(): LocalModel[];
  /** Models in memory. */
  loadedModels(): { name: string; bytes: number; busySequences: number }[];
}

const SCAN_TTL_MS = 1_000;

function backendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (error instanceof ModelFileError) {
    const code = error.kind === 'missing' ? 'model_not_found' : error.kind === 'too-large' ? 'model_too_large' : 'model_load_failed';
    return new BackendError(error.status, error.message, { code, type: error.status === 404 ? 'invalid_request_error' : 'server_error' });
  }
  return new BackendError(500, `The local model failed: ${(error as Error)?.message ?? String(error)}`, { code: 'model_error', type: 'server_error' });
}

/**
 * The embedded local engine: GGUF models run in process by llama.cpp (node-llama-cpp), with the
 * chat template stored in the GGUF, grammar-constrained tool calls and JSON, parallel requests on
 * the sequences of one loaded model, a pool that unloads idle models under a memory cap,
 * exact tokenization and embeddings, and reasoning: `reasoning.effort` through the wrapper's or
 * template's thinking switch, `budgetTokens` as a thinking-token cap, continued thoughts for the
 * engine's budget forcing. Models are the `*.gguf` files of `modelsDir`, named by file
 * name, plus `files` (`{ name: path }`). Other config keys: `memoryCapBytes`, `idleUnloadMs`,
 * `contextSize`, `parallelSequences`, `threads`, `batchSize`, `gpu`, `temperature`, `topP`,
 * `topK`, `minP`, `embeddingContextSize`, `chatWrapper`, `logLevel`.
 *
 * @example
 * const backend = createLlamaCppBackend('local', { type: 'llama-cpp', modelsDir: '.kestrel/models' });
 * for await (const event of backend.stream({ ...request, model: 'qwen2.5-0.5b-instruct-q4_k_m' })) console.log(event);
 */
export function createLlamaCppBackend(name: string, config: BackendConfig): LlamaCppBackend {
  const options = readLlamaCppOptions(name, config);
  let llama: Promise<Llama> | null = null;
  const getSharedLlama = (): Promise<Llama> => {
    llama ??= getLlama({
      gpu: options.gpu,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel[options.logLevel],
    }).catch((error: Error) => {
      llama = null;
      throw new BackendError(500, `llama.cpp could not start on this machine: ${error.message}`, { code: 'llama_unavailable', type: 'server_error' });
    });
    return llama;
  };
  const pool = new ModelPool({
    llama: getSharedLlama,
    memoryCapBytes: options.memoryCapBytes,
    idleUnloadMs: options.idleUnloadMs,
    contextSize: options.contextSize,
    parallelSequences: options.parallelSequences,
    threads: options.threads,
    batchSize: options.batchSize,
    embeddingContextSize: options.embeddingContextSize,
    chatWrapper: options.chatWrapper,
  });

  let scanned: { at: number; models: LocalModel[] } | null = null;
  const localModels = (): LocalModel[] => {
    if (!scanned || Date.now() - scanned.at > SCAN_TTL_MS) scanned = { at: Date.now(), models: scanModels(options.modelsDir, options.files) };
    return scanned.models;
  };
  const details = new Map<string, { stamp: string; details: Promise<ModelDetails> }>();
  const describe = (model: LocalModel): Promise<ModelDetails> => {
    let stamp = 'missing';
    try {
      const stat = statSync(model.path);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      // described as missing
    }
    const known = details.get(model.path);
    if (known && known.stamp === stamp) return known.details;
    const made = describeModel(model);
    details.set(model.path, { stamp, details: made });
    return made;
  };
  const find = (model: string): LocalModel => {
    const models = localModels();
    const found = models.find((entry) => entry.name === model) ?? models.find((entry) => entry.name.toLowerCase() === model.toLowerCase());
    if (found) return found;
    const where = options.modelsDir ? ` in ${options.modelsDir}` : '';
    const known = models.length ? ` Local models: ${models.map((entry) => entry.name).join(', ')}.` : ' There are no local models yet.';
    throw new BackendError(404, `The local model \`${model}\` was not found${where}.${known} Download one with \`kestrel pull <huggingface repo>[:<quant>]\`.`, {
      code: 'model_not_found',
      type: 'invalid_request_error',
    });
  };
  const withModel = async <T>(model: string, signal: AbortSignal | undefined, use: (lease: ModelLease) => Promise<T>): Promise<T> => {
    let lease: ModelLease | null = null;
    try {
      lease = await pool.lease(find(model), signal);
      return await use(lease);
    } catch (error) {
      throw backendError(error);
    } finally {
      lease?.release();
    }
  };
  const sampling = { temperature: options.temperature, topP: options.topP, topK: options.topK, minP: options.minP };

  async function* stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    if (request.signal.aborted) return;
    let lease: ModelLease | null = null;
    try {
      lease = await pool.lease(find(request.model), request.signal);
      const held = lease;
      const loaded = held.loaded;
      yield* generate(
        {
          model: loaded.model,
          wrapper: loaded.wrapper,
          thinking: loaded.thinking,
          contextSize: loaded.contextSize,
          sequence: (prompt, signal) => held.sequence(prompt, signal),
          grammar: loaded.grammar,
          tokenBias: loaded.tokenBias,
          sampling,
        },
        request,
      );
    } catch (error) {
      if (request.signal.aborted) return;
      yield { type: 'error', error: backendError(error) };
    } finally {
      lease?.release();
    }
  }

  return {
    name,
    type: 'llama-cpp',
    options,
    localModels,
    loadedModels: () => pool.loadedModels(),
    stream,
    // Budget forcing continues a partial thought here: the thought is prefilled into the turn.
    continuesReasoning: true,
    reasoningEfforts(model: string) {
      try {
        return pool.reasoningEfforts(find(model).path);
      } catch {
        return undefined;
      }
    },
    async listModels(): Promise<BackendModelInfo[]> {
      return Promise.all(
        localModels().map(async (model) => {
          const found = await describe(model);
          const trained = found.contextLength ?? undefined;
          const serving = options.contextSize ?? (trained === undefined ? undefined : Math.min(trained, 8192));
          return { id: model.name, contextWindow: serving };
        }),
      );
    },
    countTokens: (model, text, signal) => withModel(model, signal, async (lease) => lease.loaded.model.tokenize(text).length),
    embed: (model, texts, signal) =>
      withModel(model, signal, async (lease) => {
        const context = await lease.embeddingContext();
        const vectors: number[][] = [];
        for (const text of texts) {
          if (signal?.aborted) throw new BackendError(499, 'The embedding request was cancelled.', { code: 'cancelled' });
          const tokens = lease.loaded.model.tokenize(text);
          // Longer inputs than the embedding context are embedded from their start.
          const limit = Math.max(1, lease.loaded.model.trainContextSize ? Math.min(options.embeddingContextSize, lease.loaded.model.trainContextSize) : options.embeddingContextSize);
          const embedding = await context.getEmbeddingFor(tokens.length ? tokens.slice(0, limit) : lease.loaded.model.tokenize(' '));
          vectors.push([...embedding.vector]);
        }
        return vectors;
      }),
    close: () => pool.close(),
  };
}
