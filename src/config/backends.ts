import { createBackend } from '../backends/index.js';
import { hasModels, scanModels } from '../backends/llama-cpp/index.js';
import { detectOllama } from '../backends/openai-chat/detect-ollama.js';
import type { Backend } from '../backends/types.js';
import type { ConfigFile } from './schema.js';

export interface BackendSetup {
  backends: Map<string, Backend>;
  defaultBackend?: string;
  /** One line per backend, for the startup banner. */
  notes: string[];
}

/**
 * Creates the configured backends, plus `--upstream`, plus (when nothing is configured) what the
 * environment offers: OPENAI_API_KEY, ANTHROPIC_API_KEY, an Ollama server on 127.0.0.1:11434.
 * GGUF files in `modelsDir` (`<data-dir>/models`) add a `local` llama-cpp backend unless one is configured.
 */
export async function setupBackends(config: ConfigFile, options: { upstream?: string; extra?: Backend[]; env?: NodeJS.ProcessEnv; detectOllama?: boolean; modelsDir?: string }): Promise<BackendSetup> {
  const env = options.env ?? process.env;
  const backends = new Map<string, Backend>();
  const notes: string[] = [];
  for (const [name, entry] of Object.entries(config.backends ?? {})) {
    if (entry.type === 'scripted') throw new Error(`Backend "${name}": the scripted backend is for tests and is created in code.`);
    // A llama-cpp backend without a models folder reads the data dir's.
    const withModels = entry.type === 'llama-cpp' && entry.modelsDir === undefined && options.modelsDir ? { ...entry, modelsDir: options.modelsDir } : entry;
    backends.set(name, createBackend(name, withModels));
    notes.push(`${name}: ${entry.type}${entry.baseURL ? ` at ${entry.baseURL}` : ''} (config)`);
  }
  for (const backend of options.extra ?? []) backends.set(backend.name, backend);
  let defaultBackend = config.defaultBackend;
  if (options.upstream) {
    const baseURL = options.upstream.replace(/\/+$/, '');
    backends.set('upstream', createBackend('upstream', { type: 'openai-chat', baseURL, apiKeyEnv: 'KESTREL_UPSTREAM_API_KEY' }));
    notes.push(`upstream: openai-chat at ${baseURL} (--upstream; every model name is forwarded as-is)`);
    defaultBackend ??= 'upstream';
  }
  if (backends.size === 0) {
    if (env.OPENAI_API_KEY) {
      backends.set('openai', createBackend('openai', { type: 'openai-responses', apiKeyEnv: 'OPENAI_API_KEY', baseURL: env.OPENAI_BASE_URL || undefined }));
      notes.push('openai: OpenAI Responses API (OPENAI_API_KEY)');
    }
    if (env.ANTHROPIC_API_KEY) {
      backends.set('anthropic', createBackend('anthropic', { type: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY', baseURL: env.ANTHROPIC_BASE_URL || undefined }));
      notes.push('anthropic: Anthropic Messages API (ANTHROPIC_API_KEY)');
    }
    if (options.detectOllama !== false) {
      const ollama = await detectOllama(env.OLLAMA_HOST ? normaliseOllamaHost(env.OLLAMA_HOST) : undefined);
      if (ollama) {
        backends.set('ollama', createBackend('ollama', { type: 'openai-chat', baseURL: ollama.baseURL }));
        notes.push(`ollama: Ollama at ${ollama.baseURL} (${ollama.models.length} models)`);
      }
    }
    if ((backends.size as number) === 1) defaultBackend ??= [...backends.keys()][0];
  }
  const hasLocal = [...backends.values()].some((backend) => backend.type === 'llama-cpp');
  if (options.modelsDir && !hasLocal && !backends.has('local') && hasModels(options.modelsDir)) {
    backends.set('local', createBackend('local', { type: 'llama-cpp', modelsDir: options.modelsDir }));
    notes.push(`local: llama-cpp, ${scanModels(options.modelsDir).length} GGUF model(s) in ${options.modelsDir}`);
  }
  return { backends, defaultBackend, notes };
}

function normaliseOllamaHost(host: string): string {
  const withScheme = /^https?:\/\//.test(host) ? host : `http://${host}`;
  return withScheme.replace(/\/+$/, '');
}
