import { describe, expect, it } from 'vitest';
import { actionsOfCall, describeAction, parseAction } from './actions.js';

describe('actions', () => {
  it('parses every action type and fills defaults', () => {
    expect(parseAction({ type: 'click', x: 1, y: 2 })).toEqual({ type: 'click', x: 1, y: 2, button: 'left', keys: undefined });
    expect(parseAction({ type: 'click', x: 1, y: 2, button: 'back', keys: ['SHIFT'] })).toMatchObject({ button: 'back', keys: ['SHIFT'] });
    expect(parseAction({ type: 'double_click', x: 1, y: 2, keys: null })).toEqual({ type: 'double_click', x: 1, y: 2, keys: undefined });
    expect(parseAction({ type: 'drag', path: [{ x: 0, y: 0 }, { x: 5, y: 5 }] })).toMatchObject({ path: [{ x: 0, y: 0 }, { x: 5, y: 5 }] });
    expect(parseAction({ type: 'keypress', keys: ['CTRL', 'C'] })).toEqual({ type: 'keypress', keys: ['CTRL', 'C'] });
    expect(parseAction({ type: 'scroll', x: 1, y: 2, scroll_y: 300 })).toMatchObject({ scroll_x: 0, scroll_y: 300 });
    expect(parseAction({ type: 'type', text: 'hi', extra: 1 })).toEqual({ type: 'type', text: 'hi' });
    expect(parseAction({ type: 'wait' })).toEqual({ type: 'wait' });
    expect(parseAction({ type: 'screenshot' })).toEqual({ type: 'screenshot' });
  });

  it('names the field that is wrong', () => {
    expect(() => parseAction({ type: 'click', x: '1', y: 2 }, 'actions[3]')).toThrow('actions[3].x must be a number.');
    expect(() => parseAction({ type: 'click', x: 1, y: 2, button: 'middle' })).toThrow(/button must be one of left, right, wheel, back, forward/);
    expect(() => parseAction({ type: 'drag', path: [{ x: 1, y: 1 }] })).toThrow(/at least two points/);
    expect(() => parseAction({ type: 'keypress', keys: [] })).toThrow(/must not be empty/);
    expect(() => parseAction({ type: 'teleport' })).toThrow(/"teleport" is not a computer action/);
  });

  it('reads batched actions first and falls back to the legacy action', () => {
    expect(actionsOfCall({ actions: [{ type: 'type', text: 'a' }], action: { type: 'wait' } })).toEqual([{ type: 'type', text: 'a' }]);
    expect(actionsOfCall({ action: { type: 'wait' } })).toEqual([{ type: 'wait' }]);
    expect(actionsOfCall({})).toEqual([]);
  });

  it('describes actions briefly', () => {
    expect(describeAction({ type: 'click', x: 1, y: 2, button: 'right', keys: ['SHIFT'] })).toBe('right-click(1, 2) +SHIFT');
    expect(describeAction({ type: 'keypress', keys: ['CTRL', 'L'] })).toBe('keypress(CTRL+L)');
  });
});
