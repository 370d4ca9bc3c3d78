import { z } from 'zod';

const BackendEntry = z.looseObject({
  type: z.enum(['openai-chat', 'openai-responses', 'anthropic', 'llama-cpp', 'scripted']),
  baseURL: z.string().url().optional(),
  apiKey: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** openai-chat: how the server is told the reasoning effort (default `auto`: guessed from the URL and `GET /models`). */
  reasoningDialect: z.enum(['auto', 'openai', 'ollama', 'vllm', 'llama.cpp', 'none']).optional(),
});

export const ModelCapabilities = z.object({
  /** Accepts images. */
  vision: z.boolean().default(true),
  /** Can call tools. */
  tools: z.boolean().default(true),
  /** Honours `response_format` json_schema (constrained decoding). When false Kestrel validates instead. */
  structuredOutputs: z.boolean().default(true),
  /** Reasoning efforts the model supports (for `/v1/models` and effort mapping). */
  reasoningEfforts: z.array(z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])).optional(),
});
export type ModelCapabilities = z.infer<typeof ModelCapabilities>;

const RelativePath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), 'Verifier paths must be relative and stay inside the verifier directory.');

/** A command that checks a Pro candidate (see docs/reasoning.md): run without a shell in a fresh temporary directory. */
const VerifierEntry = z.object({
  /** Program and arguments, e.g. ["python3", "-m", "pytest", "-q"]. */
  command: z.array(z.string().min(1)).min(1),
  /** Files written into the directory first (tests), by relative path. */
  files: z.record(RelativePath, z.string()).optional(),
  /** Where the candidate's last code block goes (default `candidate.txt`); the whole answer is in `answer.txt`. */
  candidateFile: RelativePath.optional(),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
});
export type VerifierEntry = z.infer<typeof VerifierEntry>;

/** How a conversation is fitted into a model's window (docs/context.md). Every field is optional. */
export const ContextSettings = z.object({
  /** What `truncation: "disabled"` (the default) does when the prompt does not fit: 400 `context_length_exceeded` (default), or recall/truncate as `"auto"` does. */
  overflow: z.enum(['error', 'recall', 'truncate']).optional(),
  /** What `truncation: "auto"` does: summary + recall of evicted history + recent turns (default), or only drop the oldest items. */
  auto: z.enum(['recall', 'truncate']).optional(),
  /** Shares of the prompt budget for the rolling summary and the recalled passages (defaults 0.15 and 0.3); the recent turns get the rest. */
  budget: z
    .object({ summary: z.number().min(0).max(0.8).optional(), recall: z.number().min(0).max(0.8).optional() })
    .refine((budget) => (budget.summary ?? 0.15) + (budget.recall ?? 0.3) <= 0.9, 'The summary and recall shares may take at most 0.9 of the budget together.')
    .optional(),
  /** Size of the passages evicted history is cut into, in tokens (default 200). */
  chunkTokens: z.number().int().min(32).max(4096).optional(),
  /** Model calls one request may spend bringing the rolling summary up to date (default 2). */
  maxSummaryCalls: z.number().int().min(0).max(16).optional(),
  /** Hard cap on the tokens of one request's own input (default 1,050,000). */
  maxInputTokens: z.number().int().positive().optional(),
  /** Hard cap on the tokens of one input item (default 1,050,000). */
  maxItemTokens: z.number().int().positive().optional(),
  /** Embeddings for recall, beside BM25: a configured backend that serves `/v1/embeddings`, and its model. */
  embeddings: z.object({ backend: z.string().min(1), model: z.string().min(1) }).optional(),
});
export type ContextSettings = z.infer<typeof ContextSettings>;

const Size = z.object({ width: z.number().int().min(64).max(8192), height: z.number().int().min(64).max(8192) });

/** How one model does computer use (docs/computer-use.md). */
const ModelComputerSettings = z.object({
  /** Use the backend's own computer tool when it has one (OpenAI `computer`, Anthropic `computer_2025…`; default true). */
  native: z.boolean().optional(),
  /** The model answers on a normalised grid, e.g. `{ width: 1000, height: 1000 }` (default: screenshot pixels). */
  grid: Size.optional(),
  /** Screenshot pixels per screen pixel for this model, in (0, 1] (default 1). */
  scale: z.number().gt(0).max(1).optional(),
  /** What a hosted browser shows the model: `pixels` (screenshots), `marks` (numbered boxes), `refs` (accessibility snapshot). Default: pixels with vision, refs without. */
  grounding: z.enum(['pixels', 'marks', 'refs']).optional(),
});
export type ModelComputerSettings = z.infer<typeof ModelComputerSettings>;

const ModelEntry = z.object({
  backend: z.string().min(1),
  /** The backend's own name for the model (defaults to the public name). */
  model: z.string().min(1).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  displayName: z.string().optional(),
  capabilities: ModelCapabilities.partial().optional(),
  /** The Pro verifier (a name under `reasoning.pro.verifiers`) used for this model unless a request names another. */
  verifier: z.string().optional(),
  /** Context settings for this model, over the top-level `context`. */
  context: ContextSettings.optional(),
  /** Computer use with this model. */
  computer: ModelComputerSettings.optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

const ApiKeyEntry = z.union([
  z.string().min(8, 'API keys must be at least 8 characters.'),
  z.object({ key: z.string().min(8).optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(), name: z.string().optional() }),
]);

/** The config file (JSON or YAML). Every field is optional. */
export const ConfigFile = z.object({
  server: z
    .object({
      host: z.string().optional(),
      port: z.number().int().min(0).max(65535).optional(),
      dataDir: z.string().optional(),
      /** Maximum request body size in bytes (default 64 MiB). */
      bodyLimit: z.number().int().positive().optional(),
      /** Silence, in ms, after which a stream gets a keepalive event (default 15000). */
      keepAliveMs: z.number().int().positive().optional(),
      /** Print one line per request (method, path, status, duration) to stderr. */
      logRequests: z.boolean().optional(),
    })
    .optional(),
  backends: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/, 'Backend names may use letters, digits, `_` and `-`.'), BackendEntry).optional(),
  models: z.record(z.string().min(1), ModelEntry).optional(),
  /** Backend that serves model names nothing else claims (forwarded as-is). */
  defaultBackend: z.string().optional(),
  auth: z.object({ apiKeys: z.array(ApiKeyEntry).optional() }).optional(),
  /** 32-byte key (base64 or hex) for sealing reasoning blobs; default: generated in the data dir. */
  secretKey: z.string().optional(),
  /** How conversations are fitted into model windows (docs/context.md); `models.<name>.context` overrides it. */
  context: ContextSettings.optional(),
  /** Thinking and Pro (docs/reasoning.md). */
  reasoning: z
    .object({
      /** Thinking: plan first at effort high and above, not only for `-thinking` models (default true). */
      planAtHighEffort: z.boolean().optional(),
      pro: z
        .object({
          /** Parallel samples per Pro response (default 4). */
          samples: z.number().int().min(1).max(16).optional(),
          /** Commands that check candidates, by name; requests name one with `reasoning.verifier`. */
          verifiers: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/), VerifierEntry).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Tool search over deferred tools (docs/tool-search-and-mcp.md). */
  toolSearch: z
    .object({
      /** Tools a `query` loads at most (default 5). */
      maxResults: z.number().int().min(1).max(50).optional(),
      /** Dense embeddings fused with the lexical ranking: a configured backend that serves embeddings, and its model. */
      embeddings: z.object({ backend: z.string().min(1), model: z.string().min(1) }).optional(),
    })
    .optional(),
  /** Hosted MCP (docs/tool-search-and-mcp.md). */
  mcp: z
    .object({
      /** Local MCP servers started over stdio, by label: a request names one with `{"type":"mcp","server_label":"<label>"}` and no `server_url`. */
      servers: z
        .record(
          z.string().regex(/^[a-zA-Z0-9_-]+$/, 'MCP server labels may use letters, digits, `_` and `-`.'),
          z.object({ command: z.string().min(1), args: z.array(z.string()).optional(), env: z.record(z.string(), z.string()).optional(), cwd: z.string().optional() }),
        )
        .optional(),
      /** Let `server_url` reach loopback and private addresses (default false: refused). */
      allowPrivateNetworks: z.boolean().optional(),
      /** How long a server's tool list is reused, per server and credentials, in seconds (default 300). */
      listCacheSeconds: z.number().int().min(0).optional(),
      /** Timeout of one MCP request, in ms (default 60000). */
      timeoutMs: z.number().int().positive().optional(),
    })
    .optional(),
  /** Computer use, client-executed and hosted (docs/computer-use.md). */
  computer: z
    .object({
      /** Screenshots kept in a model call (default 3); older ones are dropped in chunks of `pruneChunk` (default 3). */
      keepScreenshots: z.number().int().min(1).max(50).optional(),
      pruneChunk: z.number().int().min(1).max(50).optional(),
      /** Hosted sessions: idle time before a session closes (default 600000 ms), sessions per API key (default 3). */
      idleTimeoutMs: z.number().int().positive().optional(),
      maxSessionsPerKey: z.number().int().min(1).max(100).optional(),
      /** How long a hosted run waits for a safety check to be acknowledged before it counts as denied (default 600000 ms). */
      approvalTimeoutMs: z.number().int().positive().optional(),
      /** Where hosted browsers may go. Loopback, private networks and file: URLs are blocked unless allowed here. */
      network: z
        .object({
          allowedDomains: z.array(z.string().min(1)).optional(),
          blockedDomains: z.array(z.string().min(1)).optional(),
          allowLoopback: z.boolean().optional(),
          allowPrivateNetwork: z.boolean().optional(),
          allowFileUrls: z.boolean().optional(),
        })
        .optional(),
      /** Record hosted sessions as trajectories under <data-dir>/computer (default true). */
      record: z.boolean().optional(),
      /** Default screen size of hosted sessions (default 1024×768). */
      display: Size.optional(),
    })
    .optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;
export type BackendEntry = z.infer<typeof BackendEntry>;
