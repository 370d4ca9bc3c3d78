import { z } from 'zod';
import { invalidRequest, notFound } from '../../protocol/errors.js';
import { parseBody, ResponseCreateParams, type StoredItem } from '../../protocol/index.js';
import type { Owner, Store } from '../../store/types.js';
import { toModelMessages } from '../model-messages.js';
import { normaliseInput, withId } from '../prepare.js';
import type { ReasoningEnvironment } from './environment.js';

/** The reply to `POST /v1/responses/{id}/input`: the items added, as `input_items` lists them. */
export interface SteerResult {
  object: 'list';
  data: StoredItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: false;
}

/**
 * Adds user messages to a running response of this owner: they join its input items and reach the
 * model before its next step. 404 for an unknown response or another key's; 400 once it has ended
 * (or for input that is not user messages).
 *
 * @example await steerResponse({ store, reasoning }, 'resp_123', owner, 'Focus on the second option.');
 */
export async function steerResponse(deps: { store: Store; reasoning: ReasoningEnvironment }, id: string, owner: Owner, input: ResponseCreateParams['input']): Promise<SteerResult> {
  const items = normaliseInput(input).map(withId);
  if (!items.length) throw invalidRequest('Send at least one message to add to the response.', 'input', 'missing_required_parameter');
  items.forEach((item, index) => {
    if (item.type !== 'message') throw invalidRequest(`Only messages can be added to a running response, not ${item.type} items.`, `input[${index}].type`, 'invalid_value');
    if (item.role !== 'user') throw invalidRequest(`Messages added to a running response must have the role user, not ${item.role}.`, `input[${index}].role`, 'invalid_value');
  });
  const queue = deps.reasoning.steering.get(id, owner);
  if (!queue?.isOpen) {
    const record = await deps.store.getResponse(id, owner);
    if (!record) throw notFound(`Response with id '${id}' not found.`, 'response_id', 'response_not_found');
    const status = record.response.status;
    const why = status === 'queued' || status === 'in_progress' ? `is ${status} in another Kestrel process` : `has ended (${status})`;
    throw invalidRequest(`Response '${id}' ${why}: input can only be added while the response runs, to the process that runs it.`, 'response_id', 'response_not_running');
  }
  const messages = toModelMessages(null, items.map((item, index) => ({ item, param: `input[${index}]` })), {
    openReasoning: () => {
      throw invalidRequest('Only messages can be added to a running response.', 'input', 'invalid_value');
    },
    backendToolName: (name) => name,
    vision: queue.vision,
  });
  queue.push(items, messages);
  if (queue.background) await deps.store.appendInputItems?.(id, owner, items);
  return { object: 'list', data: items, first_id: items[0].id, last_id: items[items.length - 1].id, has_more: false };
}

const SteeringBody = z.object({ input: ResponseCreateParams.shape.input.unwrap() });

/**
 * Reads the body of `POST /v1/responses/{id}/input`: `{"input": "text" | [items]}`, or one message
 * (`{"role": "user", "content": …}`). A 400 naming the `param` otherwise.
 *
 * @example parseSteeringBody({ role: 'user', content: 'Shorter, please.' }) // [{ role: 'user', content: 'Shorter, please.', type: 'message' }]
 */
export function parseSteeringBody(body: unknown): ResponseCreateParams['input'] {
  const isMessage = body !== null && typeof body === 'object' && !Array.isArray(body) && !('input' in body) && ('role' in body || (body as { type?: unknown }).type === 'message');
  return parseBody(SteeringBody, isMessage ? { input: [body] } : body).input;
}
