/**
 * An action the computer refused or could not perform, worded for the model: it goes back as a tool error and
 * the model can correct itself (an out-of-range coordinate, an unknown key, a ref that no longer exists).
 *
 * @example
 * throw new ComputerActionError('x=1400 is outside the screenshot (0–1023).', { actionIndex: 0 });
 */
export class ComputerActionError extends Error {
  /** Index of the failing action in its batch, when known. */
  readonly actionIndex: number | undefined;

  constructor(message: string, options: { actionIndex?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ComputerActionError';
    this.actionIndex = options.actionIndex;
  }
}

/**
 * The environment cannot start: a missing program (Chromium, Xvfb, xdotool…) or a display that will not come up.
 * The message says what to install.
 */
export class ComputerSetupError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ComputerSetupError';
  }
}
