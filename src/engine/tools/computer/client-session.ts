import type { ModelTool, ModelToolCall, NativeToolHint } from '../../../backends/types.js';
import type { CoordinateSpace } from '../../../computer/coordinates.js';
import { ComputerActionError } from '../../../computer/errors.js';
import type { InputItem, StoredItem } from '../../../protocol/index.js';
import type { HostedToolSession, ReplayTarget, StepContext, StepHook, StepOutcome } from '../types.js';
import { computerFunction } from './action-function.js';
import { readCallArguments } from './call-arguments.js';
import { replayComputerItem, type ComputerHistory } from './history.js';
import { computerCallItem } from './items.js';
import { clientActions, toModelActions } from './model-actions.js';

export interface ClientSessionOptions {
  toolName: string;
  /** Model coordinates → pixels of the client's screenshots. */
  space: CoordinateSpace;
  history: ComputerHistory;
  native?: NativeToolHint;
  pruning: StepHook;
}

/**
 * The standard OpenAI flow: the model's computer call ends the response as a `computer_call` item (actions
 * validated and mapped to the client's screenshot pixels); the client acts and posts `computer_call_output`,
 * which the next request replays to the model as the call's result.
 */
export class ClientComputerSession implements HostedToolSession {
  readonly stepHooks: readonly StepHook[];

  constructor(private readonly options: ClientSessionOptions) {
    this.stepHooks = [options.pruning];
  }

  modelTools(): ModelTool[] {
    const { width, height } = this.options.space.modelSize;
    const space = this.options.space.grid ? { kind: 'grid' as const, size: { width, height } } : { kind: 'pixels' as const, size: { width, height } };
    return [computerFunction({ name: this.options.toolName, space, grounding: 'pixels', navigation: false, native: this.options.native })];
  }

  owns(name: string): boolean {
    return name === this.options.toolName;
  }

  replay(item: InputItem | StoredItem, _param: string | null, target: ReplayTarget): void {
    replayComputerItem(item, target, {
      toolName: this.options.toolName,
      history: this.options.history,
      vision: true,
      toModel: (actions) => toModelActions(actions, this.options.space),
    });
  }

  async run(call: ModelToolCall, ctx: StepContext): Promise<StepOutcome> {
    let actions;
    let endpointChecks;
    try {
      const parsed = readCallArguments(call.arguments);
      endpointChecks = parsed.endpointChecks;
      actions = clientActions(parsed.actions, this.options.space);
    } catch (error) {
      if (!(error instanceof ComputerActionError)) throw error;
      // Refused before the client sees anything: the model gets the reason and tries again.
      return { messages: [{ role: 'tool', callId: call.callId, kind: 'function', content: [{ type: 'text', text: `Error: ${error.message}` }] }] };
    }
    ctx.items.add(computerCallItem({ callId: call.callId, actions: actions as unknown as Record<string, unknown>[], checks: endpointChecks }));
    return { messages: [], stop: true };
  }
}
