import type { Backend, BackendConfig } from './types.js';
import { createOpenAIChatBackend } from './openai-chat/index.js';
import { createOpenAIResponsesBackend } from './openai-responses/index.js';
import { createAnthropicBackend } from './anthropic/index.js';
import { createLlamaCppBackend } from './llama-cpp/index.js';

export * from './types.js';
export { createScriptedBackend, type Script, type ScriptedTurn } from './scripted/index.js';

/** Backend factories by config `type`. Adding a backend touches this one table. */
const FACTORIES: Record<string, (name: string, config: BackendConfig) => Backend> = {
  'openai-chat': createOpenAIChatBackend,
  'openai-responses': createOpenAIResponsesBackend,
  anthropic: createAnthropicBackend,
  'llama-cpp': createLlamaCppBackend,
};

/**
 * Creates a backend from its config entry.
 *
 * @example createBackend('ollama', { type: 'openai-chat', baseURL: 'http://127.0.0.1:11434/v1' })
 */
export function createBackend(name: string, config: BackendConfig): Backend {
  const factory = FACTORIES[config.type];
  if (!factory) {
    throw new Error(`Backend "${name}" has type "${config.type}", which needs to be one of: ${Object.keys(FACTORIES).join(', ')} (the scripted backend is for tests and is created in code).`);
  }
  return factory(name, config);
}
