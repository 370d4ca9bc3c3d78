import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ResolvedModel } from '../../engine/index.js';
import { notFound } from '../../protocol/errors.js';
import { ownerOf, type ServerContext } from '../context.js';

const EFFORT_DESCRIPTIONS: Record<string, string> = {
  none: 'No reasoning: fastest answers',
  minimal: 'Very little reasoning',
  low: 'Fast responses with lighter reasoning',
  medium: 'Balances speed and reasoning depth',
  high: 'Greater reasoning depth for complex problems',
  xhigh: 'Extra high reasoning depth for the hardest problems',
  max: 'Maximum reasoning',
};

const STARTED = Math.floor(Date.now() / 1000);
// Codex's system prompt when it loads this list as its `model_catalog_json`.
const CODEX_BASE_INSTRUCTIONS = readFileSync(new URL('./codex-base-instructions.txt', import.meta.url), 'utf8');

function openaiEntry(model: ResolvedModel) {
  return { id: model.publicName, object: 'model' as const, created: STARTED, owned_by: model.backend.name };
}

/** Codex's model catalog entry (`GET /models` → `models[]`); the list also loads as a `model_catalog_json` file. */
function codexEntry(model: ResolvedModel, priority: number) {
  const efforts = model.capabilities.reasoningEfforts ?? ['low', 'medium', 'high'];
  return {
    slug: model.publicName,
    display_name: model.displayName ?? model.publicName,
    description: `${model.backendModel} on ${model.backend.name} (${model.backend.type})`,
    default_reasoning_level: efforts.includes('medium') ? 'medium' : efforts[0] ?? null,
    supported_reasoning_levels: efforts.map((effort) => ({ effort, description: EFFORT_DESCRIPTIONS[effort] ?? effort })),
    shell_type: 'shell_command',
    visibility: 'list',
    supported_in_api: true,
    priority,
    context_window: model.contextWindow ?? null,
    max_output_tokens: model.maxOutputTokens ?? null,
    supports_parallel_tool_calls: model.capabilities.tools,
    input_modalities: model.capabilities.vision ? ['text', 'image'] : ['text'],
    apply_patch_tool_type: 'freeform',
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    supports_reasoning_summaries: true,
    support_verbosity: true,
    default_verbosity: 'medium',
    experimental_supported_tools: [],
    base_instructions: CODEX_BASE_INSTRUCTIONS,
  };
}

/** `GET /v1/models` (OpenAI `data` plus Codex's `models`) and `GET /health`. */
export function registerModelRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/models', async (request) => {
    ownerOf(ctx, request);
    const models = ctx.engine.models.list();
    return { object: 'list', data: models.map(openaiEntry), models: models.map((model, index) => codexEntry(model, index)) };
  });

  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request) => {
    ownerOf(ctx, request);
    const model = ctx.engine.models.resolve(request.params.id);
    if (!model) throw notFound(`The model '${request.params.id}' does not exist. ${ctx.engine.models.howToConnect()}`, 'model', 'model_not_found');
    return openaiEntry(model);
  });

  app.get('/health', async () => ({
    status: 'ok',
    backends: [...ctx.engine.models.backends.values()].map((backend) => ({ name: backend.name, type: backend.type })),
    models: ctx.engine.models.list().length,
  }));
}
