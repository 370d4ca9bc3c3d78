import type { ModelRequest, ReasoningEffort } from '../../backends/types.js';
import { invalidRequest } from '../../protocol/errors.js';
import type { ResponseCreateParams, ResponseObject, StoredItem } from '../../protocol/index.js';
import type { Owner } from '../../store/types.js';
import type { ResolvedModel } from '../model-registry.js';
import type { StepHook } from '../tools/types.js';
import { isHighEffort, resolveEffort, type ResolvedReasoning } from './effort.js';
import type { NamedVerifier, ReasoningEnvironment } from './environment.js';
import type { SteeringQueue } from './steering.js';
import { thinkingPlanHook } from './thinking-plan.js';
import type { ReasoningTier } from './tier.js';

/** What a response does about reasoning, decided before it runs. */
export interface PreparedReasoning {
  tier: ReasoningTier;
  /** The effort used (nearest level the model has) and its thinking budget, when one was asked for. */
  effort?: ResolvedReasoning;
  /** Thinking: a plan is streamed before the first step. */
  plan: boolean;
  /** Pro: samples per model step and the verifier that checks them. */
  pro?: { samples: number; verifier?: NamedVerifier };
  /** Steering input for this response while it runs. */
  steering: SteeringQueue;
}

export interface PrepareReasoningInput {
  params: ResponseCreateParams;
  model: ResolvedModel;
  tier: ReasoningTier;
  env: ReasoningEnvironment;
  responseId: string;
  owner: Owner;
  /** The response's own input items (steering input is appended to this array). */
  inputItems: StoredItem[];
}

/** The effort levels a model accepts: its config entry's, else what its backend reports. */
export function supportedEfforts(model: ResolvedModel): readonly ReasoningEffort[] | undefined {
  return model.capabilities.reasoningEfforts ?? model.backend.reasoningEfforts?.(model.backendModel);
}

/**
 * Decides effort, Thinking, Pro and steering for a request (400 for a bad `reasoning.verifier`).
 * A `-thinking` model thinks at `high` unless the request sets an effort; a `-pro` model or
 * `reasoning.mode: "pro"` runs Pro.
 *
 * @example const reasoning = prepareReasoning({ params, model, tier, env: engine.reasoning, responseId, owner, inputItems });
 */
export function prepareReasoning(input: PrepareReasoningInput): PreparedReasoning {
  const { params, model, tier, env } = input;
  const requested = params.reasoning?.effort ?? (tier === 'thinking' ? 'high' : undefined);
  const effort = requested ? resolveEffort(requested, supportedEfforts(model), params.max_output_tokens ?? undefined) : undefined;
  const isPro = tier === 'pro' || params.reasoning?.mode === 'pro';
  if (params.reasoning?.verifier && !isPro) {
    throw invalidRequest('reasoning.verifier applies to Pro responses only: use a `-pro` model or reasoning.mode "pro".', 'reasoning.verifier', 'invalid_value');
  }
  const prepared: PreparedReasoning = {
    tier: isPro ? 'pro' : tier,
    plan: tier === 'thinking' || (env.planAtHighEffort && isHighEffort(effort?.effort)),
    steering: env.steering.queue(input.responseId, input.owner, input.inputItems, { vision: model.capabilities.vision, background: params.background === true }),
  };
  if (effort) prepared.effort = effort;
  if (isPro) {
    const verifier = env.verifierFor(params.model, params.reasoning?.verifier);
    prepared.pro = verifier ? { samples: env.proSamples, verifier } : { samples: env.proSamples };
  }
  return prepared;
}

/** The `reasoning` of the model request: the level used, the summary asked for, the budget. */
export function modelReasoning(params: ResponseCreateParams, reasoning: PreparedReasoning): ModelRequest['reasoning'] {
  const summary = params.reasoning?.summary ?? params.reasoning?.generate_summary ?? undefined;
  if (!reasoning.effort && !summary) return undefined;
  const out: NonNullable<ModelRequest['reasoning']> = {};
  if (reasoning.effort) {
    out.effort = reasoning.effort.effort;
    out.budgetTokens = reasoning.effort.budgetTokens;
  }
  if (summary) out.summary = summary;
  return out;
}

/**
 * The model request's reasoning with the effort mapped to the nearest level the model has, and its
 * budget (Chat Completions, which has no Thinking or Pro tiers).
 *
 * @example withNearestEffort({ effort: 'xhigh' }, model) // { effort: 'high', budgetTokens: 16384 } for a model without xhigh
 */
export function withNearestEffort(reasoning: ModelRequest['reasoning'], model: ResolvedModel, maxOutputTokens?: number): ModelRequest['reasoning'] {
  if (!reasoning?.effort) return reasoning;
  const used = resolveEffort(reasoning.effort, supportedEfforts(model), maxOutputTokens);
  return { ...reasoning, effort: used.effort, budgetTokens: used.budgetTokens };
}

/** The response echoes the effort it used (which may differ from the one asked for). */
export function echoEffort(response: ResponseObject, reasoning: PreparedReasoning): void {
  if (reasoning.effort) response.reasoning = { ...response.reasoning, effort: reasoning.effort.effort };
}

/** Step hooks of reasoning, in order: Thinking's plan, then steering input. */
export function reasoningHooks(reasoning: PreparedReasoning, model: ResolvedModel, request: Omit<ModelRequest, 'signal'>): StepHook[] {
  const hooks: StepHook[] = [];
  if (reasoning.plan) {
    const least = resolveEffort('none', supportedEfforts(model));
    hooks.push(thinkingPlanHook({ backend: model.backend, request, planReasoning: { effort: least.effort, budgetTokens: least.budgetTokens } }));
  }
  hooks.push(reasoning.steering.hook());
  return hooks;
}
