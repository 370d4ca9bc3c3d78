import { ComputerActionError } from './errors.js';
import type { ComputerAction, MouseButton, Point } from './types.js';

const BUTTONS: readonly MouseButton[] = ['left', 'right', 'wheel', 'back', 'forward'];
const TYPES = ['click', 'double_click', 'drag', 'keypress', 'move', 'scroll', 'type', 'wait', 'screenshot'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function number(action: Json, field: string, where: string): number {
  const value = action[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ComputerActionError(`${where}.${field} must be a number.`);
  return value;
}

function keyList(action: Json, where: string, required: boolean): string[] | undefined {
  const keys = action.keys;
  if (keys === undefined || keys === null) {
    if (required) throw new ComputerActionError(`${where}.keys must be a non-empty array of key names, e.g. ["CTRL", "C"].`);
    return undefined;
  }
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string' || key.length === 0)) {
    throw new ComputerActionError(`${where}.keys must be an array of key names, e.g. ["CTRL", "C"].`);
  }
  if (required && keys.length === 0) throw new ComputerActionError(`${where}.keys must not be empty.`);
  return keys as string[];
}

/**
 * Validates one action as a model sent it (untrusted JSON) and returns it typed. Extra fields are dropped.
 * Errors are worded for the model and name the field (`actions[2].x must be a number.`).
 *
 * @example
 * parseAction({ type: 'click', x: 10, y: 20 }) // { type: 'click', x: 10, y: 20, button: 'left' }
 */
export function parseAction(value: unknown, where = 'action'): ComputerAction {
  if (!isObject(value) || typeof value.type !== 'string') throw new ComputerActionError(`${where} must be an object with a "type".`);
  const type = value.type;
  switch (type) {
    case 'click': {
      const button = value.button ?? 'left';
      if (typeof button !== 'string' || !BUTTONS.includes(button as MouseButton)) {
        throw new ComputerActionError(`${where}.button must be one of ${BUTTONS.join(', ')}.`);
      }
      return { type, x: number(value, 'x', where), y: number(value, 'y', where), button: button as MouseButton, keys: keyList(value, where, false) };
    }
    case 'double_click':
    case 'move':
      return { type, x: number(value, 'x', where), y: number(value, 'y', where), keys: keyList(value, where, false) };
    case 'drag': {
      const path = value.path;
      if (!Array.isArray(path) || path.length < 2) throw new ComputerActionError(`${where}.path must list at least two points [{x, y}, …].`);
      const points: Point[] = path.map((point, index) => {
        if (!isObject(point)) throw new ComputerActionError(`${where}.path[${index}] must be {x, y}.`);
        return { x: number(point, 'x', `${where}.path[${index}]`), y: number(point, 'y', `${where}.path[${index}]`) };
      });
      return { type, path: points, keys: keyList(value, where, false) };
    }
    case 'keypress':
      return { type, keys: keyList(value, where, true) ?? [] };
    case 'scroll':
      return {
        type,
        x: number(value, 'x', where),
        y: number(value, 'y', where),
        scroll_x: typeof value.scroll_x === 'number' ? value.scroll_x : 0,
        scroll_y: typeof value.scroll_y === 'number' ? value.scroll_y : 0,
        keys: keyList(value, where, false),
      };
    case 'type':
      if (typeof value.text !== 'string') throw new ComputerActionError(`${where}.text must be a string.`);
      return { type, text: value.text };
    case 'wait': {
      const ms = value.ms ?? value.duration_ms;
      return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? { type, ms } : { type };
    }
    case 'screenshot':
      return { type };
    default:
      throw new ComputerActionError(`${where}.type "${type}" is not a computer action; use one of ${TYPES.join(', ')}.`);
  }
}

/**
 * The actions of one `computer_call`: `actions[]` when present (GA batches), else the legacy single `action`.
 *
 * @example
 * actionsOfCall({ actions: [{ type: 'type', text: 'hi' }] }) // [{ type: 'type', text: 'hi' }]
 */
export function actionsOfCall(call: { actions?: unknown; action?: unknown }): ComputerAction[] {
  if (Array.isArray(call.actions) && call.actions.length > 0) return call.actions.map((action, index) => parseAction(action, `actions[${index}]`));
  if (call.action !== undefined && call.action !== null) return [parseAction(call.action, 'action')];
  return [];
}

/**
 * A short human-readable form of an action, for progress lines and logs.
 *
 * @example describeAction({ type: 'click', x: 1, y: 2 }) // 'click(1, 2)'
 */
export function describeAction(action: ComputerAction): string {
  const held = 'keys' in action && action.keys && action.keys.length > 0 && action.type !== 'keypress' ? ` +${action.keys.join('+')}` : '';
  switch (action.type) {
    case 'click':
      return `${action.button && action.button !== 'left' ? `${action.button}-` : ''}click(${action.x}, ${action.y})${held}`;
    case 'double_click':
      return `double_click(${action.x}, ${action.y})${held}`;
    case 'move':
      return `move(${action.x}, ${action.y})${held}`;
    case 'drag':
      return `drag(${action.path.map((p) => `${p.x},${p.y}`).join(' → ')})${held}`;
    case 'keypress':
      return `keypress(${action.keys.join('+')})`;
    case 'scroll':
      return `scroll(${action.x}, ${action.y}, dx=${action.scroll_x}, dy=${action.scroll_y})${held}`;
    case 'type':
      return `type(${JSON.stringify(action.text.length > 40 ? `${action.text.slice(0, 37)}…` : action.text)})`;
    case 'wait':
      return action.ms ? `wait(${action.ms} ms)` : 'wait';
    case 'screenshot':
      return 'screenshot';
  }
}
