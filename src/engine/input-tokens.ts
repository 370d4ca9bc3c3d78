import { InputTokensParams, parseBody, type ResponseCreateParams } from '../protocol/index.js';
import type { Owner } from '../store/types.js';
import { prepareResponse } from './prepare.js';
import type { Engine } from './index.js';

/**
 * `POST /v1/responses/input_tokens`: the prompt tokens Kestrel would send for this request, counted
 * as the context step counts them (the model's tokenizer, or the calibrated estimate), after
 * truncation or recall when `truncation` is `auto`, tool definitions included. An overflow is
 * counted rather than refused.
 *
 * @example await countInputTokens(engine, { model: 'gpt-5.4', input: 'Hello' }, '') // { object: 'response.input_tokens', input_tokens: 9 }
 */
export async function countInputTokens(engine: Engine, body: unknown, owner: Owner): Promise<{ object: 'response.input_tokens'; input_tokens: number }> {
  const params = parseBody(InputTokensParams, body);
  const model = params.model ?? engine.models.list()[0]?.publicName ?? 'default';
  const prepared = await prepareResponse({ ...params, model } as ResponseCreateParams, owner, engine, { countOnly: true });
  await prepared.hosted.close();
  return { object: 'response.input_tokens', input_tokens: prepared.context.inputTokens ?? 0 };
}
