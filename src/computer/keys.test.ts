import { describe, expect, it } from 'vitest';
import { ComputerActionError } from './errors.js';
import { mapKey, mapKeys, mapModifiers } from './keys.js';

describe('key map', () => {
  it('maps OpenAI CUA names and aliases to Playwright keys and xdotool keysyms', () => {
    expect(mapKey('CTRL')).toEqual({ playwright: 'Control', xdotool: 'Control_L', modifier: true });
    expect(mapKey('ENTER')).toMatchObject({ playwright: 'Enter', xdotool: 'Return' });
    expect(mapKey('return')).toMatchObject({ playwright: 'Enter', xdotool: 'Return' });
    expect(mapKey('ARROWLEFT')).toMatchObject({ playwright: 'ArrowLeft', xdotool: 'Left' });
    expect(mapKey('arrow_up')).toMatchObject({ playwright: 'ArrowUp', xdotool: 'Up' });
    expect(mapKey('PGDN')).toMatchObject({ playwright: 'PageDown', xdotool: 'Next' });
    expect(mapKey('cmd')).toMatchObject({ playwright: 'Meta', xdotool: 'Super_L', modifier: true });
    expect(mapKey('ESC')).toMatchObject({ playwright: 'Escape', xdotool: 'Escape' });
    expect(mapKey('SPACE')).toMatchObject({ playwright: 'Space', xdotool: 'space' });
    expect(mapKey('F5')).toMatchObject({ playwright: 'F5', xdotool: 'F5' });
  });

  it('maps single characters, letters in lower case, punctuation to keysym names', () => {
    expect(mapKey('C')).toEqual({ playwright: 'c', xdotool: 'c', modifier: false });
    expect(mapKey('/')).toMatchObject({ playwright: '/', xdotool: 'slash' });
    expect(mapKey('-')).toMatchObject({ playwright: '-', xdotool: 'minus' });
    expect(mapKey('7')).toMatchObject({ playwright: '7', xdotool: '7' });
  });

  it('splits "ctrl+shift+t" style combinations and refuses unknown names', () => {
    expect(mapKeys(['ctrl+shift+t']).map((k) => k.xdotool)).toEqual(['Control_L', 'Shift_L', 't']);
    expect(mapKeys(['+']).map((k) => k.playwright)).toEqual(['+']);
    expect(() => mapKey('HYPERDRIVE')).toThrow(ComputerActionError);
    expect(() => mapKeys([])).toThrow(/at least one key/);
  });

  it('holds only modifiers during mouse actions', () => {
    expect(mapModifiers(['SHIFT', 'ALT']).map((k) => k.playwright)).toEqual(['Shift', 'Alt']);
    expect(mapModifiers(null)).toEqual([]);
    expect(() => mapModifiers(['A'])).toThrow(/not a modifier/);
  });
});
