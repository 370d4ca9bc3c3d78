/**
 * The normalised, wire-agnostic model interface every backend implements.
 * The engine speaks only this; backends never see the Responses wire format.
 */

export type ModelContentPart =
  | { type: 'text'; text: string }
  /** `url` is an http(s) URL or a `data:` URL. */
  | { type: 'image'; url: string; detail?: 'low' | 'high' | 'auto' | 'original' }
  /** A text file already decoded to text by the engine. */
  | { type: 'file'; filename: string; text: string };

export interface ModelToolCall {
  /** The call id the client sees (`call_…`). */
  callId: string;
  name: string;
  /** JSON arguments for function tools; the raw input for custom tools. */
  arguments: string;
  kind: 'function' | 'custom';
}

/** One message of the normalised conversation. */
export type ModelMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: ModelContentPart[] }
  | {
      role: 'assistant';
      content: string;
      /** The model's own reasoning from an earlier turn, when it came back decrypted. */
      reasoning?: string;
      /** Backend-specific opaque state restored from an encrypted reasoning item (signatures, encrypted blobs). */
      reasoningState?: Record<string, unknown>;
      toolCalls?: ModelToolCall[];
    }
  | { role: 'tool'; callId: string; name?: string; content: ModelContentPart[]; kind: 'function' | 'custom' };

export interface ModelFunctionTool {
  kind: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  /**
   * Set when this function stands for a built-in tool that a backend may offer natively instead (OpenAI's
   * `computer`, Anthropic's `computer_2025…`). Backends that do not know it send the plain function; those that
   * do map the tool, its calls and their results to and from their own format, keeping the function's
   * arguments (`{"actions": [...]}`) as the call's arguments.
   */
  native?: NativeToolHint;
}

/** A built-in tool a backend may use in place of a function (see {@link ModelFunctionTool.native}). */
export interface NativeToolHint {
  type: 'computer';
  /** Size of the screenshots the model sees: its coordinate space. */
  display: { width: number; height: number };
  environment: 'browser' | 'linux' | 'mac' | 'windows';
}
export interface ModelCustomTool {
  kind: 'custom';
  name: string;
  description?: string;
  /** A grammar the input must match, when given. */
  grammar?: { syntax: 'lark' | 'regex'; definition: string };
}
export type ModelTool = ModelFunctionTool | ModelCustomTool;

export type ModelToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ModelResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** A partial assistant turn for the model to continue (see {@link ModelRequest.continuation}). */
export interface ModelContinuation {
  reasoning: string;
  thinkingClosed: boolean;
}

/** Everything a backend needs for one model call. */
export interface ModelRequest {
  /** The backend's own model name (after alias resolution). */
  model: string;
  messages: ModelMessage[];
  tools: ModelTool[];
  toolChoice: ModelToolChoice;
  parallelToolCalls: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat: ModelResponseFormat;
  reasoning?: {
    effort?: ReasoningEffort;
    summary?: 'auto' | 'concise' | 'detailed';
    /** Thinking-token budget the engine chose for the effort (Anthropic `budget_tokens`, llama.cpp `thinking_budget_tokens`). */
    budgetTokens?: number;
  };
  /**
   * Continue a partial assistant turn instead of starting one (budget forcing): the model already
   * thought `reasoning`; with `thinkingClosed` its thought is over and it writes the answer, else it
   * keeps thinking. Only sent to backends whose `continuesReasoning` is true.
   */
  continuation?: ModelContinuation;
  verbosity?: 'low' | 'medium' | 'high';
  /** Opaque cache hint (OpenAI `prompt_cache_key`), forwarded where supported. */
  promptCacheKey?: string;
  user?: string;
  /** Aborts the upstream call (client disconnect, cancel). */
  signal: AbortSignal;
  /**
   * False when nobody watches the tokens arrive (a non-stream client): a backend may then call its
   * upstream without streaming, which costs less. Events are the same either way. Default true.
   */
  stream?: boolean;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Normalised stream events (noun-verb naming). Order: any number of deltas, then exactly one
 * `finish` or one `error`. Tool calls are identified by `index`; their deltas may interleave.
 */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'refusal-delta'; text: string }
  /**
   * `budgetReached`: set by a backend that cuts the thought at `reasoning.budgetTokens` itself, on the
   * delta that reaches it; the thought is over and the answer follows (budget forcing does not extend it).
   */
  | { type: 'reasoning-delta'; text: string; budgetReached?: boolean }
  /** Opaque per-backend reasoning state to round-trip (e.g. Anthropic signature, OpenAI encrypted_content). */
  | { type: 'reasoning-state'; state: Record<string, unknown> }
  | { type: 'tool-call-start'; index: number; callId: string; name: string; kind: 'function' | 'custom' }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'finish'; reason: FinishReason; usage?: ModelUsage }
  | { type: 'error'; error: BackendError };

/** An upstream failure, keeping its HTTP class (a 429 stays a 429, with Retry-After). */
export class BackendError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly retryAfter: string | null;
  readonly type: string | null;
  constructor(status: number, message: string, options: { code?: string | null; retryAfter?: string | null; type?: string | null } = {}) {
    super(message);
    this.name = 'BackendError';
    this.status = status;
    this.code = options.code ?? null;
    this.retryAfter = options.retryAfter ?? null;
    this.type = options.type ?? null;
  }
}

/** A model a backend offers, as listed by `GET /v1/models`. */
export interface BackendModelInfo {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/**
 * A model backend: turns a {@link ModelRequest} into a stream of {@link ModelEvent}s.
 *
 * @example
 * for await (const event of backend.stream(request)) if (event.type === 'text-delta') process.stdout.write(event.text);
 */
export interface Backend {
  /** The configured backend name (`ollama`, `openai`, …). */
  readonly name: string;
  /** The backend type (`openai-chat`, `openai-responses`, `anthropic`, `scripted`). */
  readonly type: string;
  /** Streams one model call. Errors are yielded as an `error` event, never thrown after the first event. */
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
  /** Models the backend serves, when it can list them. */
  listModels?(signal?: AbortSignal): Promise<BackendModelInfo[]>;
  /** Exact token count of `text` with the model's own tokenizer, when the backend has it (llama.cpp). */
  countTokens?(model: string, text: string, signal?: AbortSignal): Promise<number>;
  /** Embedding vectors of `texts`, when the backend serves an embedding model (`/v1/embeddings`, llama.cpp). */
  embed?(model: string, texts: string[], signal?: AbortSignal): Promise<number[][]>;
  /**
   * True when the backend honours `ModelRequest.continuation` and streams the model's raw reasoning
   * (open models), so the engine may apply budget forcing (thinking cap, "Wait" extension).
   */
  readonly continuesReasoning?: boolean;
  /** Reasoning efforts the model accepts, when the backend knows (e.g. Ollama: none, low, medium, high). */
  reasoningEfforts?(model: string): readonly ReasoningEffort[] | undefined;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** Settings shared by all backend factories (from the config file). */
export interface BackendConfig {
  type: string;
  baseURL?: string;
  apiKey?: string;
  apiKeyEnv?: string;
  /** Extra headers sent upstream. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 10 minutes). */
  timeoutMs?: number;
  [key: string]: unknown;
}
