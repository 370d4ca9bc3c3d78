import { z } from 'zod';

const BackendEntry = z.looseObject({
  type: z.enum(['openai-chat', 'openai-responses', 'anthropic', 'scripted']),
  baseURL: z.string().url().optional(),
  apiKey: z.string().optional(),
  apiKeyEnv: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
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

const ModelEntry = z.object({
  backend: z.string().min(1),
  /** The backend's own name for the model (defaults to the public name). */
  model: z.string().min(1).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  displayName: z.string().optional(),
  capabilities: ModelCapabilities.partial().optional(),
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
});
export type ConfigFile = z.infer<typeof ConfigFile>;
export type BackendEntry = z.infer<typeof BackendEntry>;
