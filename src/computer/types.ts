/**
 * The computer-use vocabulary: the actions a model emits (the OpenAI `computer` tool's action schema, which other
 * formats are mapped to), the screenshots it gets back, and the `Computer` interface every environment implements.
 */

/** A point in screen coordinates (CSS pixels of the viewport, or X11 pixels of the virtual display). */
export interface Point {
  x: number;
  y: number;
}

/** Width and height in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** Mouse buttons of the `click` action; `wheel` is the middle button, `back`/`forward` the side buttons. */
export type MouseButton = 'left' | 'right' | 'wheel' | 'back' | 'forward';

/** One UI action, exactly as in the Responses `computer_call` (`actions[]` or the legacy `action`). */
export type ComputerAction =
  | { type: 'click'; x: number; y: number; button?: MouseButton; keys?: string[] | null }
  | { type: 'double_click'; x: number; y: number; keys?: string[] | null }
  | { type: 'drag'; path: Point[]; keys?: string[] | null }
  | { type: 'keypress'; keys: string[] }
  | { type: 'move'; x: number; y: number; keys?: string[] | null }
  | { type: 'scroll'; x: number; y: number; scroll_x: number; scroll_y: number; keys?: string[] | null }
  | { type: 'type'; text: string }
  | { type: 'wait'; ms?: number }
  | { type: 'screenshot' };

export type ComputerActionType = ComputerAction['type'];

/** Image format of screenshots. JPEG is smaller and faster to encode; PNG is lossless. */
export type ImageFormat = 'png' | 'jpeg';

/** A screenshot as sent to the model. `width`/`height` are the image's own pixels. */
export interface Screenshot {
  data: Buffer;
  mimeType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

export interface ScreenshotOptions {
  format?: ImageFormat;
  /** JPEG quality, 1–100 (default 80). */
  quality?: number;
  /** Image pixels per screen pixel, in (0, 1] (default 1): a smaller image for models that want one. */
  scale?: number;
}

/** Something that happened in the environment during a batch that the screenshot alone may not show. */
export interface ComputerEvent {
  kind: 'dialog' | 'new-tab' | 'tab-closed' | 'navigation-blocked' | 'download' | 'note';
  message: string;
}

/**
 * One computer the model drives. Coordinates are screen coordinates: callers map model coordinates first
 * (see `CoordinateSpace`). Every environment implements every action; where one has no meaning (a back button on
 * a bare desktop) it does the nearest thing and says so in `drainEvents()`.
 *
 * @example
 * const computer = await BrowserComputer.launch({ startUrl: 'http://127.0.0.1:3000' });
 * await computer.click(100, 200, 'left');
 * const shot = await computer.screenshot();
 * await computer.close();
 */
export interface Computer {
  readonly environment: 'browser' | 'desktop';
  /** Size of the screen in screen coordinates. */
  readonly display: Size;
  click(x: number, y: number, button?: MouseButton, keys?: string[]): Promise<void>;
  doubleClick(x: number, y: number, keys?: string[]): Promise<void>;
  drag(path: Point[], keys?: string[]): Promise<void>;
  /** Presses a combination: every key goes down in order, then up in reverse. */
  keypress(keys: string[]): Promise<void>;
  move(x: number, y: number, keys?: string[]): Promise<void>;
  scroll(x: number, y: number, scrollX: number, scrollY: number, keys?: string[]): Promise<void>;
  type(text: string): Promise<void>;
  /** Waits until the screen settles, at most `maxMs` (default 1000). Never a blind sleep when a signal exists. */
  wait(maxMs?: number): Promise<void>;
  /** A screenshot taken once the screen has settled after the last action. */
  screenshot(options?: ScreenshotOptions): Promise<Screenshot>;
  /** The top-level URL (browser), or undefined (desktop). */
  currentUrl(): string | undefined;
  /** Events since the last call (dialogs handled, tabs opened, navigations blocked…), oldest first. */
  drainEvents(): ComputerEvent[];
  close(): Promise<void>;
}

/** The extras a browser offers on top of pixels: navigation, accessibility snapshots, Set-of-Marks. */
export interface BrowserControls {
  goto(url: string): Promise<void>;
  back(): Promise<void>;
  forward(): Promise<void>;
}
