import { ComputerActionError } from './errors.js';
import type { SessionAction } from './recording/trajectory.js';
import type { BrowserControls, Computer } from './types.js';

/** Whether a computer offers browser navigation. */
export function hasBrowserControls(computer: Computer): computer is Computer & BrowserControls {
  const candidate = computer as Partial<BrowserControls>;
  return typeof candidate.goto === 'function' && typeof candidate.back === 'function' && typeof candidate.forward === 'function';
}

/**
 * Runs one action whose coordinates are already screen coordinates.
 *
 * @example await performAction(computer, { type: 'click', x: 10, y: 20, button: 'left' });
 */
export async function performAction(computer: Computer, action: SessionAction): Promise<void> {
  switch (action.type) {
    case 'click':
      return computer.click(action.x, action.y, action.button ?? 'left', action.keys ?? undefined);
    case 'double_click':
      return computer.doubleClick(action.x, action.y, action.keys ?? undefined);
    case 'drag':
      return computer.drag(action.path, action.keys ?? undefined);
    case 'keypress':
      return computer.keypress(action.keys);
    case 'move':
      return computer.move(action.x, action.y, action.keys ?? undefined);
    case 'scroll':
      return computer.scroll(action.x, action.y, action.scroll_x, action.scroll_y, action.keys ?? undefined);
    case 'type':
      return computer.type(action.text);
    case 'wait':
      return computer.wait(action.ms ?? 1000);
    case 'screenshot':
      return;
    case 'goto':
    case 'back':
    case 'forward':
      if (!hasBrowserControls(computer)) throw new ComputerActionError(`${action.type} needs a browser; this is a ${computer.environment}.`);
      return action.type === 'goto' ? computer.goto(action.url) : action.type === 'back' ? computer.back() : computer.forward();
  }
}
