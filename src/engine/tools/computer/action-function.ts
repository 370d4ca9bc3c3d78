import { readFileSync } from 'node:fs';
import type { ModelFunctionTool, NativeToolHint } from '../../../backends/types.js';
import type { Size } from '../../../computer/types.js';

const TEMPLATE = readFileSync(new URL('./computer-function.txt', import.meta.url), 'utf8');

export type Grounding = 'pixels' | 'marks' | 'refs';

export interface ComputerFunctionOptions {
  name: string;
  /** The model's coordinate space: screenshot pixels, or a grid. */
  space: { kind: 'pixels'; size: Size } | { kind: 'grid'; size: Size };
  grounding: Grounding;
  /** Offer `goto`, `back`, `forward` (a browser). */
  navigation: boolean;
  native?: NativeToolHint;
}

function describeSpace(options: ComputerFunctionOptions): string {
  if (options.grounding === 'refs') {
    return 'You see the page as an accessibility snapshot, not a picture: target an element with "ref" (e.g. "e12") instead of x and y. Refs change after every batch; use the latest snapshot.';
  }
  const { width, height } = options.space.size;
  const coordinates =
    options.space.kind === 'grid'
      ? `Coordinates x, y are on a ${width}×${height} grid over the screenshot (0–${width} across, 0–${height} down), whatever its pixel size.`
      : `Coordinates x, y are pixels of the ${width}×${height} screenshot (x 0–${width - 1} across, y 0–${height - 1} down).`;
  return options.grounding === 'marks' ? `${coordinates} Numbered boxes mark the clickable elements; you may give "mark": N instead of x and y.` : coordinates;
}

/**
 * The function a model without native computer use calls (and the stand-in a native backend replaces with its own
 * tool): `{"actions": [...]}`, the same action schema as the Responses `computer_call`.
 *
 * @example computerFunction({ name: 'computer', space: { kind: 'pixels', size: { width: 1024, height: 768 } }, grounding: 'pixels', navigation: false })
 */
export function computerFunction(options: ComputerFunctionOptions): ModelFunctionTool {
  const types = ['click', 'double_click', 'drag', 'keypress', 'move', 'scroll', 'type', 'wait', 'screenshot'];
  if (options.navigation) types.push('goto', 'back', 'forward');
  const integer = { type: 'integer' };
  const properties: Record<string, unknown> = {
    type: { type: 'string', enum: types },
    x: integer,
    y: integer,
    button: { type: 'string', enum: ['left', 'right', 'wheel', 'back', 'forward'] },
    keys: { type: 'array', items: { type: 'string' } },
    path: { type: 'array', items: { type: 'object', properties: { x: integer, y: integer }, required: ['x', 'y'] } },
    scroll_x: integer,
    scroll_y: integer,
    text: { type: 'string' },
    ms: integer,
  };
  if (options.grounding === 'refs') properties.ref = { type: 'string', description: 'Element ref from the latest snapshot, instead of x and y.' };
  if (options.grounding === 'marks') properties.mark = { type: 'integer', description: 'Number of a marked box, instead of x and y.' };
  if (options.navigation) properties.url = { type: 'string', description: 'For goto: the absolute URL to open.' };
  const extras = options.navigation ? '- goto: url; back; forward (browser navigation, when the address bar is out of view)\n' : '';
  const description = TEMPLATE.replace('{{space}}', describeSpace(options)).replace('{{extras}}', extras).trim();
  return {
    kind: 'function',
    name: options.name,
    description,
    parameters: {
      type: 'object',
      properties: { actions: { type: 'array', minItems: 1, items: { type: 'object', properties, required: ['type'] } } },
      required: ['actions'],
    },
    ...(options.native ? { native: options.native } : {}),
  };
}
