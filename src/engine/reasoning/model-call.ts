import type { Backend, ModelEvent, ModelRequest } from '../../backends/types.js';
import type { StepContext } from '../tools/types.js';
import { forceThinkingBudget } from './budget-forcing.js';
import type { PreparedReasoning } from './prepare-reasoning.js';
import { proModelStream } from './pro/pro-step.js';

/**
 * One model step as reasoning wants it: Pro runs N samples and selects; budget forcing caps (and at
 * xhigh extends) the thought of backends that can continue a turn; otherwise the backend is called
 * as it is.
 *
 * @example for await (const event of modelStep(backend, prepared.reasoning, request, ctx)) handle(event);
 */
export function modelStep(backend: Backend, reasoning: PreparedReasoning | undefined, request: ModelRequest, ctx: StepContext): AsyncIterable<ModelEvent> {
  const forcing = reasoning?.effort && backend.continuesReasoning ? reasoning.effort.forcing : undefined;
  const call = (one: ModelRequest): AsyncIterable<ModelEvent> =>
    forcing ? forceThinkingBudget((continuation, signal) => backend.stream({ ...one, continuation, signal }), { policy: forcing, signal: one.signal }) : backend.stream(one);
  if (reasoning?.pro && reasoning.pro.samples > 1) return proModelStream(request, ctx, { samples: reasoning.pro.samples, verifier: reasoning.pro.verifier, call });
  return call(request);
}
