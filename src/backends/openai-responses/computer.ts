import type { ModelFunctionTool, ModelRequest } from '../types.js';
import type { UpstreamTool } from './wire.js';

/** The computer tool of a request when this model uses OpenAI's own computer use. */
export interface NativeComputer {
  /** The function's name on Kestrel's side (calls keep it). */
  name: string;
  /** `computer` (GA, batched actions) or `computer_use_preview` (one action per call). */
  tool: UpstreamTool;
  preview: boolean;
}

// GPT-5.4 and later take the GA `computer` tool; computer-use-preview takes the preview tool.
const GA_MODELS = /^(gpt-5\.([4-9]|\d{2,})|gpt-([6-9]|\d{2,}))/;
const PREVIEW_MODELS = /^computer-use-preview/;

/**
 * Picks OpenAI's native computer tool for a request whose function is marked `native: computer`, when the model
 * has it; undefined otherwise (the function is then sent as a plain function).
 *
 * @example nativeComputer({ model: 'gpt-5.4', tools: [computerFunction], … })?.tool // { type: 'computer' }
 */
export function nativeComputer(request: Pick<ModelRequest, 'model' | 'tools'>): NativeComputer | undefined {
  const fn = request.tools.find((tool): tool is ModelFunctionTool => tool.kind === 'function' && tool.native?.type === 'computer');
  if (!fn?.native) return undefined;
  if (GA_MODELS.test(request.model)) return { name: fn.name, tool: { type: 'computer' }, preview: false };
  if (PREVIEW_MODELS.test(request.model)) {
    const { display, environment } = fn.native;
    return {
      name: fn.name,
      tool: { type: 'computer_use_preview', display_width: display.width, display_height: display.height, environment: environment === 'linux' ? 'ubuntu' : environment },
      preview: true,
    };
  }
  return undefined;
}

/** A valid 1×1 PNG, for a computer_call_output that must carry a screenshot when Kestrel has none to give. */
export const BLANK_SCREENSHOT =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The parts of Kestrel's computer-call arguments (`{"actions": [...], "pending_safety_checks": [...]}`). */
export function computerArguments(json: string): { actions: Record<string, unknown>[]; checks: { id: string; code?: string | null; message?: string | null }[]; upstreamId?: string } {
  try {
    const parsed = JSON.parse(json) as { actions?: unknown; action?: unknown; pending_safety_checks?: unknown; upstream_id?: unknown };
    const actions = Array.isArray(parsed.actions) ? parsed.actions : parsed.action ? [parsed.action] : [];
    const checks = Array.isArray(parsed.pending_safety_checks) ? parsed.pending_safety_checks : [];
    return {
      actions: actions.filter((action): action is Record<string, unknown> => !!action && typeof action === 'object'),
      checks: checks.filter((check): check is { id: string } => !!check && typeof (check as { id?: unknown }).id === 'string'),
      upstreamId: typeof parsed.upstream_id === 'string' ? parsed.upstream_id : undefined,
    };
  } catch {
    return { actions: [], checks: [] };
  }
}
