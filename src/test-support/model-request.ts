import type { Backend, ModelEvent, ModelRequest } from '../backends/types.js';

/**
 * A minimal valid model request (one user "Hi", no tools, text output), with overrides.
 *
 * @example const request = modelRequest({ model: 'gpt-5.4', maxOutputTokens: 16 });
 */
export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'test-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    tools: [],
    toolChoice: 'auto',
    parallelToolCalls: true,
    responseFormat: { type: 'text' },
    signal: new AbortController().signal,
    ...overrides,
  };
}

/**
 * Streams one request through a backend and returns every event it yielded.
 *
 * @example const events = await collectEvents(backend, modelRequest());
 */
export async function collectEvents(backend: Backend, request: ModelRequest): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of backend.stream(request)) events.push(event);
  return events;
}
