import { parseAction } from '../../../computer/actions.js';
import type { CoordinateSpace } from '../../../computer/coordinates.js';
import { ComputerActionError } from '../../../computer/errors.js';
import { mapKeys, mapModifiers } from '../../../computer/keys.js';
import type { ComputerAction, Point } from '../../../computer/types.js';

/** Applies `map` to every coordinate of an action (x/y and drag paths). */
export function mapPoints<T extends Record<string, unknown>>(action: T, map: (point: Point, label: string) => Point, label: string): T {
  if (Array.isArray(action.path)) {
    return { ...action, path: (action.path as Point[]).map((point, index) => map(point, `${label} path[${index}]`)) };
  }
  if (typeof action.x === 'number' && typeof action.y === 'number') return { ...action, ...map({ x: action.x, y: action.y }, label) };
  return action;
}

/**
 * Validates a model's actions for a client-executed call and maps them to the pixels of the client's screenshot
 * (from a grid when the model uses one). Out-of-range points and unknown keys are refused, so nothing bad ever
 * reaches the client.
 *
 * @example clientActions([{ type: 'click', x: 500, y: 500 }], space) // [{ type: 'click', x: 512, y: 384, button: 'left' }]
 */
export function clientActions(raw: Record<string, unknown>[], space: CoordinateSpace): ComputerAction[] {
  return raw.map((entry, index) => {
    const where = raw.length > 1 ? `actions[${index}]` : 'the action';
    if (entry.ref !== undefined || entry.mark !== undefined || ['goto', 'back', 'forward'].includes(String(entry.type))) {
      throw new ComputerActionError(`${where}: refs, marks and goto/back/forward need a computer Kestrel runs; use x and y here.`);
    }
    const action = parseAction(entry, where);
    if (action.type === 'keypress') mapKeys(action.keys);
    else if ('keys' in action) mapModifiers(action.keys);
    const mapped = mapPoints(action as ComputerAction & Record<string, unknown>, (point, label) => space.toScreen(point, label), where);
    // Drop undefined fields so items stay tidy on the wire.
    return Object.fromEntries(Object.entries(mapped).filter(([, value]) => value !== undefined)) as ComputerAction;
  });
}

/** Maps screenshot-pixel actions back to the model's space (for replaying history to a grid model). */
export function toModelActions(actions: Record<string, unknown>[], space: CoordinateSpace): Record<string, unknown>[] {
  if (!space.grid && space.scale === 1) return actions;
  return actions.map((action) => mapPoints(action, (point) => space.toModel(point), ''));
}
