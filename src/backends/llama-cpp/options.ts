import { totalmem } from 'node:os';
import { resolvableChatWrapperTypeNames, type ResolvableChatWrapperTypeName } from 'node-llama-cpp';
import { resolve } from 'node:path';
import type { BackendConfig } from '../types.js';

/** Settings of a `llama-cpp` backend entry, with defaults applied. */
export interface LlamaCppOptions {
  /** Folder scanned for `*.gguf` files (default `<data-dir>/models`, filled in by the config loader). */
  modelsDir: string | null;
  /** Extra models by name: `{ "my-model": "/path/to/file.gguf" }`. */
  files: Record<string, string>;
  /** Memory the loaded models (weights + context) may use together (default 75% of RAM). */
  memoryCapBytes: number;
  /** A model with no request for this long is unloaded (default 10 minutes; 0 keeps models loaded). */
  idleUnloadMs: number;
  /** Context window per sequence (default the model's training context, at most 8192). */
  contextSize: number | null;
  /** Requests served at once by one loaded model, each on its own sequence (default 2). */
  parallelSequences: number;
  /** CPU threads for evaluation (default node-llama-cpp's choice: the machine's math cores). */
  threads: number | null;
  /** Batch size for prompt evaluation (default node-llama-cpp's: 512). */
  batchSize: number | null;
  /** `getLlama` GPU choice: `auto` (default), `false` for CPU only, or a backend name. */
  gpu: 'auto' | false | 'cuda' | 'vulkan' | 'metal';
  /** Sampling defaults when a request sets none (OpenAI's defaults are 1 and 1; local models do better lower). */
  temperature: number;
  topP: number;
  topK: number;
  minP: number;
  /** Context used to compute embeddings (default 2048 tokens, at most the training context). */
  embeddingContextSize: number;
  /** How prompts are rendered: `auto` (default) uses the GGUF's chat template; or a node-llama-cpp wrapper name (`jinjaTemplate`, `qwen`, `llama3.1`, …). */
  chatWrapper: ResolvableChatWrapperTypeName;
  /** node-llama-cpp log level (default `warn`). */
  logLevel: 'disabled' | 'fatal' | 'error' | 'warn' | 'info' | 'log' | 'debug';
}

function positiveInt(name: string, key: string, value: unknown, fallback: number | null, allowZero = false): number | null {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`Backend "${name}": ${key} must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function fraction(name: string, key: string, value: unknown, fallback: number, max = 1): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= max)) throw new Error(`Backend "${name}": ${key} must be a number from 0 to ${max}, got ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Reads and checks the options of a `llama-cpp` backend entry.
 *
 * @example readLlamaCppOptions('local', { type: 'llama-cpp', modelsDir: '.kestrel/models', parallelSequences: 4 })
 */
export function readLlamaCppOptions(name: string, config: BackendConfig): LlamaCppOptions {
  const files: Record<string, string> = {};
  if (config.files !== undefined) {
    if (typeof config.files !== 'object' || config.files === null || Array.isArray(config.files)) throw new Error(`Backend "${name}": files must map model names to GGUF paths.`);
    for (const [model, path] of Object.entries(config.files)) {
      if (typeof path !== 'string' || !path) throw new Error(`Backend "${name}": files.${model} must be the path of a GGUF file.`);
      files[model] = resolve(path);
    }
  }
  const gpu = config.gpu ?? 'auto';
  if (!['auto', false, 'cuda', 'vulkan', 'metal'].includes(gpu as string | boolean)) throw new Error(`Backend "${name}": gpu must be "auto", false, "cuda", "vulkan" or "metal".`);
  const logLevel = config.logLevel ?? 'warn';
  if (!['disabled', 'fatal', 'error', 'warn', 'info', 'log', 'debug'].includes(logLevel as string)) throw new Error(`Backend "${name}": logLevel must be one of disabled, fatal, error, warn, info, log, debug.`);
  const chatWrapper = config.chatWrapper ?? 'auto';
  if (!(resolvableChatWrapperTypeNames as readonly unknown[]).includes(chatWrapper)) throw new Error(`Backend "${name}": chatWrapper must be one of ${resolvableChatWrapperTypeNames.join(', ')}.`);
  if (config.modelsDir !== undefined && typeof config.modelsDir !== 'string') throw new Error(`Backend "${name}": modelsDir must be a folder path.`);
  return {
    modelsDir: typeof config.modelsDir === 'string' ? resolve(config.modelsDir) : null,
    files,
    memoryCapBytes: positiveInt(name, 'memoryCapBytes', config.memoryCapBytes, Math.floor(totalmem() * 0.75))!,
    idleUnloadMs: positiveInt(name, 'idleUnloadMs', config.idleUnloadMs, 10 * 60_000, true)!,
    contextSize: positiveInt(name, 'contextSize', config.contextSize, null),
    parallelSequences: positiveInt(name, 'parallelSequences', config.parallelSequences, 2)!,
    threads: positiveInt(name, 'threads', config.threads, null),
    batchSize: positiveInt(name, 'batchSize', config.batchSize, null),
    gpu: gpu as LlamaCppOptions['gpu'],
    temperature: fraction(name, 'temperature', config.temperature, 0.8, 2),
    topP: fraction(name, 'topP', config.topP, 0.95),
    topK: positiveInt(name, 'topK', config.topK, 40, true)!,
    minP: fraction(name, 'minP', config.minP, 0.05),
    embeddingContextSize: positiveInt(name, 'embeddingContextSize', config.embeddingContextSize, 2048)!,
    chatWrapper: chatWrapper as ResolvableChatWrapperTypeName,
    logLevel: logLevel as LlamaCppOptions['logLevel'],
  };
}
