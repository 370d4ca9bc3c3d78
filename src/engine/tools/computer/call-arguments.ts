import { ComputerActionError } from '../../../computer/errors.js';
import type { WireSafetyCheck } from './items.js';

/** A model's computer call, as read from its function arguments. */
export interface CallArguments {
  /** The actions as the model wrote them (validated later, per mode). */
  actions: Record<string, unknown>[];
  /** Safety checks a native backend's own model raised (OpenAI), to show the client. */
  endpointChecks: WireSafetyCheck[];
}

/**
 * Reads `{"actions": [...]}` (or a single `{"action": {...}}`, or one bare action) from a call's JSON arguments.
 * Errors are worded for the model.
 *
 * @example readCallArguments('{"actions":[{"type":"click","x":1,"y":2}]}').actions.length // 1
 */
export function readCallArguments(json: string): CallArguments {
  let parsed: unknown;
  try {
    parsed = json.trim() ? JSON.parse(json) : {};
  } catch {
    throw new ComputerActionError('The arguments are not valid JSON; send {"actions": [{"type": "click", "x": 10, "y": 20}, …]}.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ComputerActionError('Send an object: {"actions": [...]}.');
  const object = parsed as Record<string, unknown>;
  let actions: unknown[];
  if (Array.isArray(object.actions)) actions = object.actions;
  else if (object.action && typeof object.action === 'object') actions = [object.action];
  else if (typeof object.type === 'string') actions = [object];
  else throw new ComputerActionError('Missing "actions": send {"actions": [{"type": "screenshot"}]} at least.');
  if (actions.length === 0) actions = [{ type: 'screenshot' }];
  if (actions.some((action) => !action || typeof action !== 'object' || Array.isArray(action))) {
    throw new ComputerActionError('Every entry of "actions" must be an object with a "type".');
  }
  const checks = Array.isArray(object.pending_safety_checks) ? object.pending_safety_checks : [];
  return {
    actions: actions as Record<string, unknown>[],
    endpointChecks: checks.filter((check): check is WireSafetyCheck => !!check && typeof check === 'object' && typeof (check as { id?: unknown }).id === 'string'),
  };
}
