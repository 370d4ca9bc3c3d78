import { mapKey } from '../../computer/keys.js';
import type { ModelFunctionTool, ModelRequest } from '../types.js';

/** Anthropic's computer tool for a request, when the model has one. */
export interface AnthropicComputer {
  tool: { type: 'computer_20251124' | 'computer_20250124'; name: 'computer'; display_width_px: number; display_height_px: number };
  /** The `anthropic-beta` flag the tool needs. */
  beta: string;
}

// computer_20251124 (zoom, newer models) for Claude Opus 4.5 and 4.6+ / Sonnet 4.6+; computer_20250124 for the
// other Claude 4 models and Sonnet 3.7.
const NEWEST = /claude-(opus-4[-.]([5-9])|(opus|sonnet|haiku)-4[-.]([6-9])|(opus|sonnet|haiku)-([5-9]))/;
const OLDER = /claude-((opus|sonnet|haiku)-4|3-7-sonnet)/;

/**
 * Anthropic's own computer tool for a request whose `computer` function is marked native (its name must be
 * `computer`, the only name Anthropic accepts), or undefined.
 *
 * @example anthropicComputer({ model: 'claude-sonnet-4-6', tools })?.tool.type // 'computer_20251124'
 */
export function anthropicComputer(request: Pick<ModelRequest, 'model' | 'tools'>): AnthropicComputer | undefined {
  const fn = request.tools.find((tool): tool is ModelFunctionTool => tool.kind === 'function' && tool.native?.type === 'computer');
  if (!fn?.native || fn.name !== 'computer') return undefined;
  const size = { display_width_px: fn.native.display.width, display_height_px: fn.native.display.height };
  if (NEWEST.test(request.model)) return { tool: { type: 'computer_20251124', name: 'computer', ...size }, beta: 'computer-use-2025-11-24' };
  if (OLDER.test(request.model)) return { tool: { type: 'computer_20250124', name: 'computer', ...size }, beta: 'computer-use-2025-01-24' };
  return undefined;
}

type Json = Record<string, unknown>;
type Point = [number, number];

const PIXELS_PER_SCROLL_CLICK = 100;

function point(value: unknown): Point | undefined {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number') ? (value as Point) : undefined;
}

function modifiers(text: unknown): string[] | undefined {
  return typeof text === 'string' && text.trim() ? text.split('+').map((key) => key.trim()).filter(Boolean) : undefined;
}

/**
 * One Anthropic computer action (`{"action": "left_click", "coordinate": [x, y]}`…) as Kestrel's batched actions.
 * Actions with no equivalent come back as `{"type": "unsupported:<action>"}`, which the engine refuses with a
 * tool error the model can read.
 *
 * @example fromAnthropicAction({ action: 'key', text: 'ctrl+s' }) // [{ type: 'keypress', keys: ['ctrl', 's'] }]
 */
export function fromAnthropicAction(input: Json): Json[] {
  const at = point(input.coordinate);
  const xy = at ? { x: at[0], y: at[1] } : {};
  const keys = modifiers(input.text);
  switch (input.action) {
    case 'screenshot':
    case 'cursor_position':
    case 'zoom':
      return [{ type: 'screenshot' }];
    case 'left_click':
      return [{ type: 'click', button: 'left', ...xy, ...(keys ? { keys } : {}) }];
    case 'right_click':
      return [{ type: 'click', button: 'right', ...xy, ...(keys ? { keys } : {}) }];
    case 'middle_click':
      return [{ type: 'click', button: 'wheel', ...xy, ...(keys ? { keys } : {}) }];
    case 'double_click':
      return [{ type: 'double_click', ...xy, ...(keys ? { keys } : {}) }];
    case 'triple_click':
      return [{ type: 'double_click', ...xy }, { type: 'click', button: 'left', ...xy }];
    case 'mouse_move':
      return [{ type: 'move', ...xy }];
    case 'left_click_drag': {
      const start = point(input.start_coordinate);
      return [{ type: 'drag', path: [start ? { x: start[0], y: start[1] } : xy, xy] }];
    }
    case 'key':
    case 'hold_key':
      return [{ type: 'keypress', keys: keys ?? [] }];
    case 'type':
      return [{ type: 'type', text: typeof input.text === 'string' ? input.text : '' }];
    case 'scroll': {
      const amount = (typeof input.scroll_amount === 'number' ? input.scroll_amount : 3) * PIXELS_PER_SCROLL_CLICK;
      const direction = input.scroll_direction;
      return [
        {
          type: 'scroll',
          ...xy,
          scroll_x: direction === 'left' ? -amount : direction === 'right' ? amount : 0,
          scroll_y: direction === 'up' ? -amount : direction === 'down' ? amount : 0,
          ...(keys ? { keys } : {}),
        },
      ];
    }
    case 'wait':
      return [{ type: 'wait', ms: Math.round((typeof input.duration === 'number' ? input.duration : 1) * 1000) }];
    default:
      return [{ type: `unsupported:${String(input.action)}` }];
  }
}

function xdotool(keys: unknown): string {
  if (!Array.isArray(keys)) return '';
  return keys
    .map((key) => {
      try {
        return mapKey(String(key)).xdotool;
      } catch {
        return String(key);
      }
    })
    .join('+');
}

/**
 * One of Kestrel's actions as an Anthropic computer action (to replay a conversation's earlier calls).
 *
 * @example toAnthropicAction({ type: 'click', x: 3, y: 4, button: 'right' }) // { action: 'right_click', coordinate: [3, 4] }
 */
export function toAnthropicAction(action: Json): Json {
  const coordinate = typeof action.x === 'number' && typeof action.y === 'number' ? [action.x, action.y] : undefined;
  const held = Array.isArray(action.keys) && action.keys.length ? { text: xdotool(action.keys) } : {};
  switch (action.type) {
    case 'click': {
      if (action.button === 'back' || action.button === 'forward') return { action: 'key', text: action.button === 'back' ? 'alt+Left' : 'alt+Right' };
      const name = action.button === 'right' ? 'right_click' : action.button === 'wheel' ? 'middle_click' : 'left_click';
      return { action: name, coordinate, ...held };
    }
    case 'double_click':
      return { action: 'double_click', coordinate, ...held };
    case 'move':
      return { action: 'mouse_move', coordinate };
    case 'drag': {
      const path = Array.isArray(action.path) ? (action.path as { x: number; y: number }[]) : [];
      const start = path[0];
      const end = path[path.length - 1];
      return { action: 'left_click_drag', start_coordinate: start ? [start.x, start.y] : undefined, coordinate: end ? [end.x, end.y] : undefined };
    }
    case 'keypress':
      return { action: 'key', text: xdotool(action.keys) };
    case 'type':
      return { action: 'type', text: action.text };
    case 'scroll': {
      const dx = Number(action.scroll_x) || 0;
      const dy = Number(action.scroll_y) || 0;
      const vertical = Math.abs(dy) >= Math.abs(dx);
      const amount = Math.max(1, Math.round(Math.abs(vertical ? dy : dx) / PIXELS_PER_SCROLL_CLICK));
      return { action: 'scroll', coordinate, scroll_direction: vertical ? (dy < 0 ? 'up' : 'down') : dx < 0 ? 'left' : 'right', scroll_amount: amount, ...held };
    }
    case 'wait':
      return { action: 'wait', duration: Math.max(0.1, (Number(action.ms) || 1000) / 1000) };
    default:
      return { action: 'screenshot' };
  }
}
