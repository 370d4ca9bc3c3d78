import type { ResponseCreateParams, ResponseObject, Tool, ToolChoice, TextFormat } from '../protocol/index.js';
import { redactToolSecrets } from './tools/mcp/secrets.js';

/**
 * The Response envelope for a request, before any output: every field the SDKs and the
 * Open Responses schema require, with request values echoed and defaults filled in.
 */
export function createEnvelope(
  id: string,
  params: ResponseCreateParams,
  extra: { model: string; previousResponseId: string | null; conversationId: string | null; createdAt?: number },
): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: extra.createdAt ?? Math.floor(Date.now() / 1000),
    completed_at: null,
    status: params.background ? 'queued' : 'in_progress',
    background: params.background ?? false,
    error: null,
    incomplete_details: null,
    instructions: params.instructions ?? null,
    max_output_tokens: params.max_output_tokens ?? null,
    max_tool_calls: params.max_tool_calls ?? null,
    model: extra.model,
    output: [],
    parallel_tool_calls: params.parallel_tool_calls ?? true,
    previous_response_id: extra.previousResponseId,
    conversation: extra.conversationId ? { id: extra.conversationId } : null,
    prompt_cache_key: params.prompt_cache_key ?? null,
    prompt_cache_retention: params.prompt_cache_retention ?? null,
    reasoning: { effort: params.reasoning?.effort ?? null, summary: params.reasoning?.summary ?? params.reasoning?.generate_summary ?? null },
    safety_identifier: params.safety_identifier ?? null,
    service_tier: params.service_tier ?? 'default',
    store: params.store ?? true,
    temperature: params.temperature ?? 1,
    text: { format: (params.text?.format ?? { type: 'text' }) as TextFormat, verbosity: params.text?.verbosity ?? 'medium' },
    tool_choice: (params.tool_choice ?? 'auto') as ToolChoice,
    // MCP authorization and header values never leave in plain text (nor reach the store).
    tools: redactToolSecrets((params.tools ?? []) as Tool[]),
    top_logprobs: params.top_logprobs ?? 0,
    top_p: params.top_p ?? 1,
    presence_penalty: params.presence_penalty ?? 0,
    frequency_penalty: params.frequency_penalty ?? 0,
    truncation: params.truncation ?? 'disabled',
    usage: null,
    user: params.user ?? null,
    metadata: params.metadata ?? {},
  };
}
