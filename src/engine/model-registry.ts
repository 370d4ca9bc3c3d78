import type { Backend } from '../backends/types.js';
import type { ConfigFile, ContextSettings, ModelCapabilities, ModelEntry } from '../config/schema.js';
import { ApiError } from '../protocol/errors.js';

/** A public model name resolved to the backend that serves it. */
export interface ResolvedModel {
  /** The name clients use and see in responses. */
  publicName: string;
  backend: Backend;
  /** The backend's own model name. */
  backendModel: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  displayName?: string;
  capabilities: ModelCapabilities;
  /** Context settings of a configured model (over the top-level `context`). */
  context?: ContextSettings;
}

const DEFAULT_CAPABILITIES: ModelCapabilities = { vision: true, tools: true, structuredOutputs: true };
const DISCOVERY_TTL_MS = 30_000;

/**
 * Maps public model names to backends: configured aliases first, then `backend/model` names,
 * then models the backends list, then name families (`gpt-*` → OpenAI, `claude-*` → Anthropic),
 * then the default backend, which takes any name as-is.
 *
 * @example registry.resolve('gpt-5.4') // { backend: ollama, backendModel: 'qwen3:8b', … }
 */
export class ModelRegistry {
  readonly #backends: Map<string, Backend>;
  readonly #aliases: Record<string, ModelEntry>;
  readonly #defaultBackend: Backend | undefined;
  #discovered = new Map<string, { backend: Backend; contextWindow?: number; maxOutputTokens?: number }>();
  #discoveredAt = 0;

  constructor(backends: Map<string, Backend>, config: Pick<ConfigFile, 'models' | 'defaultBackend'>) {
    this.#backends = backends;
    this.#aliases = config.models ?? {};
    for (const [alias, entry] of Object.entries(this.#aliases)) {
      if (!backends.has(entry.backend)) {
        throw new Error(`Model "${alias}" uses backend "${entry.backend}", which is not configured (configured: ${[...backends.keys()].join(', ') || 'none'}).`);
      }
    }
    if (config.defaultBackend && !backends.has(config.defaultBackend)) {
      throw new Error(`defaultBackend "${config.defaultBackend}" is not a configured backend.`);
    }
    this.#defaultBackend = config.defaultBackend ? backends.get(config.defaultBackend) : undefined;
  }

  /** The configured backends. */
  get backends(): ReadonlyMap<string, Backend> {
    return this.#backends;
  }

  /** Asks every backend that can list its models (failures are ignored: the backend may be down now). */
  async refresh(timeoutMs = 3_000): Promise<void> {
    const found = new Map<string, { backend: Backend; contextWindow?: number; maxOutputTokens?: number }>();
    await Promise.all(
      [...this.#backends.values()].map(async (backend) => {
        if (!backend.listModels) return;
        try {
          for (const model of await backend.listModels(AbortSignal.timeout(timeoutMs))) {
            if (!found.has(model.id)) found.set(model.id, { backend, contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens });
          }
        } catch {
          // unreachable now; requests will say so
        }
      }),
    );
    this.#discovered = found;
    this.#discoveredAt = Date.now();
  }

  /** Resolves a public name, or null when nothing serves it. */
  resolve(name: string): ResolvedModel | null {
    const alias = this.#aliases[name];
    if (alias) {
      const backend = this.#backends.get(alias.backend)!;
      const discovered = this.#discovered.get(alias.model ?? name);
      return {
        publicName: name,
        backend,
        backendModel: alias.model ?? name,
        contextWindow: alias.contextWindow ?? discovered?.contextWindow,
        maxOutputTokens: alias.maxOutputTokens ?? discovered?.maxOutputTokens,
        displayName: alias.displayName,
        capabilities: { ...DEFAULT_CAPABILITIES, ...alias.capabilities },
        context: alias.context,
      };
    }
    const slash = name.indexOf('/');
    if (slash > 0) {
      const backend = this.#backends.get(name.slice(0, slash));
      if (backend) return this.#plain(name, backend, name.slice(slash + 1));
    }
    const discovered = this.#discovered.get(name);
    if (discovered) return this.#plain(name, discovered.backend, name, discovered.contextWindow, discovered.maxOutputTokens);
    const family = this.#familyBackend(name);
    if (family) return this.#plain(name, family, name);
    if (this.#defaultBackend) return this.#plain(name, this.#defaultBackend, name);
    return null;
  }

  /** Like {@link resolve}, but refreshes a stale discovery once and throws the 404 clients should see. */
  async require(name: string, param = 'model'): Promise<ResolvedModel> {
    let resolved = this.resolve(name);
    if (!resolved && Date.now() - this.#discoveredAt > DISCOVERY_TTL_MS) {
      await this.refresh(1_500);
      resolved = this.resolve(name);
    }
    if (!resolved) {
      throw new ApiError(404, `The model \`${name}\` does not exist or no backend serves it. ${this.howToConnect()}`, {
        param,
        code: 'model_not_found',
      });
    }
    return resolved;
  }

  /** Every model Kestrel can name: aliases, then discovered models. */
  list(): ResolvedModel[] {
    const out = new Map<string, ResolvedModel>();
    for (const name of Object.keys(this.#aliases)) out.set(name, this.resolve(name)!);
    for (const [name, found] of this.#discovered) {
      if (!out.has(name)) out.set(name, this.#plain(name, found.backend, name, found.contextWindow, found.maxOutputTokens));
    }
    return [...out.values()];
  }

  /** One sentence telling the user how to make a model available. */
  howToConnect(): string {
    if (this.#backends.size === 0) {
      return 'No model backend is connected. Start Kestrel with `kestrel serve --upstream http://127.0.0.1:11434/v1` (Ollama, vLLM, llama.cpp server, LM Studio or any OpenAI-compatible server), set OPENAI_API_KEY or ANTHROPIC_API_KEY, download a local GGUF model with `kestrel pull OWNER/REPO[:QUANT]` (or put .gguf files in the models/ folder of the data dir), or list backends and models in a config file (`kestrel serve --config kestrel.yaml`; see the README).';
    }
    const names = this.list().map((m) => m.publicName);
    const known = names.length ? `Available models: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.` : 'No backend listed any model.';
    return `${known} Use one of these names, \`<backend>/<model>\` (backends: ${[...this.#backends.keys()].join(', ')}), map the name in the config file's \`models\` section, or set \`defaultBackend\` to forward unknown names.`;
  }

  #familyBackend(name: string): Backend | undefined {
    const wanted = /^(gpt-|o\d|chatgpt-|codex-|text-embedding-)/.test(name) ? 'openai-responses' : /^claude-/.test(name) ? 'anthropic' : null;
    if (!wanted) return undefined;
    for (const backend of this.#backends.values()) if (backend.type === wanted) return backend;
    return undefined;
  }

  #plain(name: string, backend: Backend, backendModel: string, contextWindow?: number, maxOutputTokens?: number): ResolvedModel {
    return { publicName: name, backend, backendModel, contextWindow, maxOutputTokens, capabilities: { ...DEFAULT_CAPABILITIES } };
  }
}
