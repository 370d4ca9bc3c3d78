import { ComputerActionError } from './errors.js';

/** One key in both environments' vocabularies. */
export interface MappedKey {
  /** Playwright `keyboard.down()` name (a `KeyboardEvent.key` value or a US-layout code). */
  playwright: string;
  /** X11 keysym for `xdotool keydown`. */
  xdotool: string;
  /** Whether the key is a modifier (held while clicking with `keys`). */
  modifier: boolean;
}

const named = (playwright: string, xdotool: string, modifier = false): MappedKey => ({ playwright, xdotool, modifier });

// CUA names (OpenAI: CTRL, ENTER, ARROWLEFT…), their common aliases (Anthropic/xdotool style, Stagehand's superset)
// and Playwright's own names all land here after upper-casing and dropping `_`, `-` and spaces.
const NAMED_KEYS: Record<string, MappedKey> = {
  CTRL: named('Control', 'Control_L', true),
  CONTROL: named('Control', 'Control_L', true),
  CONTROLLEFT: named('Control', 'Control_L', true),
  ALT: named('Alt', 'Alt_L', true),
  OPTION: named('Alt', 'Alt_L', true),
  ALTLEFT: named('Alt', 'Alt_L', true),
  SHIFT: named('Shift', 'Shift_L', true),
  SHIFTLEFT: named('Shift', 'Shift_L', true),
  CMD: named('Meta', 'Super_L', true),
  COMMAND: named('Meta', 'Super_L', true),
  META: named('Meta', 'Super_L', true),
  SUPER: named('Meta', 'Super_L', true),
  WIN: named('Meta', 'Super_L', true),
  WINDOWS: named('Meta', 'Super_L', true),
  ENTER: named('Enter', 'Return'),
  RETURN: named('Enter', 'Return'),
  ESC: named('Escape', 'Escape'),
  ESCAPE: named('Escape', 'Escape'),
  TAB: named('Tab', 'Tab'),
  SPACE: named('Space', 'space'),
  SPACEBAR: named('Space', 'space'),
  BACKSPACE: named('Backspace', 'BackSpace'),
  DELETE: named('Delete', 'Delete'),
  DEL: named('Delete', 'Delete'),
  INSERT: named('Insert', 'Insert'),
  INS: named('Insert', 'Insert'),
  HOME: named('Home', 'Home'),
  END: named('End', 'End'),
  PAGEUP: named('PageUp', 'Prior'),
  PGUP: named('PageUp', 'Prior'),
  PAGEDOWN: named('PageDown', 'Next'),
  PGDN: named('PageDown', 'Next'),
  ARROWUP: named('ArrowUp', 'Up'),
  UP: named('ArrowUp', 'Up'),
  ARROWDOWN: named('ArrowDown', 'Down'),
  DOWN: named('ArrowDown', 'Down'),
  ARROWLEFT: named('ArrowLeft', 'Left'),
  LEFT: named('ArrowLeft', 'Left'),
  ARROWRIGHT: named('ArrowRight', 'Right'),
  RIGHT: named('ArrowRight', 'Right'),
  CAPSLOCK: named('CapsLock', 'Caps_Lock'),
  NUMLOCK: named('NumLock', 'Num_Lock'),
  SCROLLLOCK: named('ScrollLock', 'Scroll_Lock'),
  PRINTSCREEN: named('PrintScreen', 'Print'),
  PRINT: named('PrintScreen', 'Print'),
  PAUSE: named('Pause', 'Pause'),
  CONTEXTMENU: named('ContextMenu', 'Menu'),
  MENU: named('ContextMenu', 'Menu'),
};
for (let n = 1; n <= 12; n++) NAMED_KEYS[`F${n}`] = named(`F${n}`, `F${n}`);

// Printable characters whose X11 keysym is a name rather than the character itself.
const CHARACTER_KEYSYMS: Record<string, string> = {
  ' ': 'space', '/': 'slash', '\\': 'backslash', '-': 'minus', '=': 'equal', ',': 'comma', '.': 'period',
  ';': 'semicolon', "'": 'apostrophe', '`': 'grave', '[': 'bracketleft', ']': 'bracketright', '+': 'plus',
  '*': 'asterisk', '!': 'exclam', '@': 'at', '#': 'numbersign', '$': 'dollar', '%': 'percent', '^': 'asciicircum',
  '&': 'ampersand', '(': 'parenleft', ')': 'parenright', '_': 'underscore', '{': 'braceleft', '}': 'braceright',
  '|': 'bar', ':': 'colon', '"': 'quotedbl', '<': 'less', '>': 'greater', '?': 'question', '~': 'asciitilde',
};

/**
 * Maps one key name from a model (OpenAI CUA names such as `CTRL`, `ENTER`, `ARROWLEFT`, aliases such as `cmd`,
 * `Return`, `PGDN`, or a single character) to Playwright and xdotool names. Unknown names are refused.
 *
 * @example
 * mapKey('ARROWLEFT') // { playwright: 'ArrowLeft', xdotool: 'Left', modifier: false }
 * mapKey('c')         // { playwright: 'c', xdotool: 'c', modifier: false }
 */
export function mapKey(name: string): MappedKey {
  if ([...name].length === 1) {
    // Letters are pressed as their lower-case key: SHIFT is a separate key in a combination.
    const char = /[A-Z]/.test(name) ? name.toLowerCase() : name;
    return { playwright: char, xdotool: CHARACTER_KEYSYMS[char] ?? char, modifier: false };
  }
  const normalised = name.toUpperCase().replace(/[\s_-]/g, '');
  const key = NAMED_KEYS[normalised];
  if (key) return key;
  throw new ComputerActionError(
    `Unknown key "${name}". Use names such as CTRL, ALT, SHIFT, CMD, ENTER, ESC, TAB, SPACE, BACKSPACE, DELETE, ` +
      'HOME, END, PAGEUP, PAGEDOWN, ARROWUP/DOWN/LEFT/RIGHT, F1–F12, or a single character.',
  );
}

/**
 * Maps a combination. A single entry such as `"ctrl+shift+t"` is split at `+` (some models send combos that way).
 *
 * @example
 * mapKeys(['CTRL', 'C']).map((k) => k.playwright)   // ['Control', 'c']
 * mapKeys(['ctrl+shift+t']).map((k) => k.xdotool)  // ['Control_L', 'Shift_L', 't']
 */
export function mapKeys(keys: readonly string[]): MappedKey[] {
  const names = keys.flatMap((key) => (key.length > 1 && key.includes('+') ? key.split('+').filter(Boolean) : [key]));
  if (names.length === 0) throw new ComputerActionError('keypress needs at least one key in `keys`.');
  return names.map(mapKey);
}

/**
 * Maps the modifier keys held during a mouse action (`keys` on click, drag, move, scroll). Non-modifier keys are
 * refused: holding `A` while clicking is almost always a model mistake.
 *
 * @example
 * mapModifiers(['SHIFT']) // [{ playwright: 'Shift', … }]
 */
export function mapModifiers(keys: readonly string[] | null | undefined): MappedKey[] {
  if (!keys || keys.length === 0) return [];
  const mapped = mapKeys(keys);
  const plain = mapped.find((key) => !key.modifier);
  if (plain) throw new ComputerActionError(`"${plain.playwright}" is not a modifier; \`keys\` on mouse actions holds CTRL, ALT, SHIFT or CMD.`);
  return mapped;
}
