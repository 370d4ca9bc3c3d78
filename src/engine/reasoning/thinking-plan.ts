import { readFileSync } from 'node:fs';
import type { Backend, ModelMessage, ModelRequest } from '../../backends/types.js';
import type { StepHook } from '../tools/types.js';
import { SummaryItem, addModelUsage } from './summary-item.js';

const PLAN_PROMPT = readFileSync(new URL('./plan.txt', import.meta.url), 'utf8').trim();
/** Plans are a few short lines. */
const PLAN_MAX_TOKENS = 400;

export interface ThinkingPlanOptions {
  backend: Backend;
  /** The response's model request (model name, sampling settings); its tools are not offered to the plan call. */
  request: Omit<ModelRequest, 'signal'>;
  /** Reasoning settings of the plan call itself (the least thinking the model has). */
  planReasoning?: ModelRequest['reasoning'];
}

/**
 * Thinking: before the first model step of a user turn, a short plan is written by the model and
 * streamed as a reasoning summary part; the plan then joins the system message, so the work follows
 * it (and steering input sent meanwhile can change it). Turns that continue with tool outputs get no
 * new plan.
 *
 * @example prepared.stepHooks.push(thinkingPlanHook({ backend, request: prepared.modelRequest }));
 */
export function thinkingPlanHook(options: ThinkingPlanOptions): StepHook {
  return {
    name: 'thinking-plan',
    async beforeModelCall({ step, messages, ctx }) {
      if (step !== 0 || messages.at(-1)?.role !== 'user') return undefined;
      const summary = new SummaryItem(ctx.items);
      summary.begin();
      let plan = '';
      const request: ModelRequest = {
        ...options.request,
        messages: [...messages, { role: 'user', content: [{ type: 'text', text: PLAN_PROMPT }] }],
        tools: [],
        toolChoice: 'auto',
        responseFormat: { type: 'text' },
        maxOutputTokens: PLAN_MAX_TOKENS,
        reasoning: options.planReasoning,
        continuation: undefined,
        signal: ctx.signal,
        stream: true,
      };
      try {
        for await (const event of options.backend.stream(request)) {
          if (event.type === 'text-delta') {
            plan += event.text;
            summary.delta(event.text);
          } else if (event.type === 'finish') addModelUsage(ctx.usage, event.usage);
          else if (event.type === 'error') break;
          if (ctx.signal.aborted) break;
        }
      } finally {
        summary.close(plan ? 'completed' : 'incomplete');
      }
      // A failed plan call is not the response's failure: the work goes on without a plan.
      return plan.trim() ? withPlan(messages, plan.trim()) : undefined;
    },
  };
}

/** The messages with the plan added to the system message (one is created when there is none). */
export function withPlan(messages: readonly ModelMessage[], plan: string): ModelMessage[] {
  const note = `Your plan for this reply (follow it unless the user's later messages change course):\n${plan}`;
  const first = messages[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${note}` }, ...messages.slice(1)];
  return [{ role: 'system', content: note }, ...messages];
}
