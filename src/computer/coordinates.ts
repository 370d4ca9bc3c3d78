import { ComputerActionError } from './errors.js';
import type { Point, Size } from './types.js';

export interface CoordinateSpaceOptions {
  /** The screen in screen coordinates (CSS pixels of the viewport, or pixels of the virtual display). */
  screen: Size;
  /**
   * Image pixels per screen pixel for screenshots the model sees, in (0, 1] (default 1): one factor for both axes,
   * so the aspect ratio never changes. Model pixel coordinates are divided by it.
   */
  scale?: number;
  /**
   * A normalised grid the model answers in instead of pixels, e.g. `{ width: 1000, height: 1000 }` for models
   * trained on 0–1000 coordinates (0–999 grids: `{ width: 999, height: 999 }`). Bounds are inclusive.
   */
  grid?: Size;
}

/**
 * The mapping between what the model sees and the screen. Coordinates outside the screenshot (or grid) are refused
 * with a `ComputerActionError` the model can read, and never clicked.
 *
 * @example
 * const space = new CoordinateSpace({ screen: { width: 1280, height: 800 }, scale: 0.8 });
 * space.image            // { width: 1024, height: 640 }
 * space.toScreen({ x: 512, y: 320 }) // { x: 640, y: 400 }
 */
export class CoordinateSpace {
  readonly screen: Size;
  readonly scale: number;
  readonly grid: Size | undefined;
  /** Size of the screenshot the model sees. */
  readonly image: Size;

  constructor(options: CoordinateSpaceOptions) {
    const scale = options.scale ?? 1;
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
    if (options.grid && !(options.grid.width > 0 && options.grid.height > 0)) throw new RangeError('grid width and height must be positive');
    this.screen = options.screen;
    this.scale = scale;
    this.grid = options.grid;
    this.image = { width: Math.round(options.screen.width * scale), height: Math.round(options.screen.height * scale) };
  }

  /** The space the model's coordinates live in: the grid when there is one, else the screenshot's pixels. */
  get modelSize(): Size {
    return this.grid ?? this.image;
  }

  /**
   * Maps a model coordinate to the screen. `label` names the point in the error (e.g. `"path[2]"`).
   *
   * @example space.toScreen({ x: 10, y: 20 }, 'click')
   */
  toScreen(point: Point, label = 'the point'): Point {
    const { x, y } = point;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new ComputerActionError(`${label} needs numeric x and y, got x=${String(x)}, y=${String(y)}.`);
    }
    if (this.grid) {
      const { width, height } = this.grid;
      if (x < 0 || y < 0 || x > width || y > height) {
        throw new ComputerActionError(`${label} (${x}, ${y}) is outside the coordinate grid (0–${width}, 0–${height}); nothing was done.`);
      }
      return {
        x: Math.min(this.screen.width - 1, Math.floor((x / width) * this.screen.width)),
        y: Math.min(this.screen.height - 1, Math.floor((y / height) * this.screen.height)),
      };
    }
    const { width, height } = this.image;
    if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
      throw new ComputerActionError(
        `${label} (${x}, ${y}) is outside the ${width}×${height} screenshot (x 0–${width - 1}, y 0–${height - 1}); nothing was done.`,
      );
    }
    return {
      x: Math.min(this.screen.width - 1, Math.round(x / this.scale)),
      y: Math.min(this.screen.height - 1, Math.round(y / this.scale)),
    };
  }

  /**
   * Maps a screen point into the model's space (for marks and element boxes shown to the model).
   *
   * @example space.toModel({ x: 640, y: 400 })
   */
  toModel(point: Point): Point {
    if (this.grid) {
      return { x: Math.round((point.x / this.screen.width) * this.grid.width), y: Math.round((point.y / this.screen.height) * this.grid.height) };
    }
    return { x: Math.round(point.x * this.scale), y: Math.round(point.y * this.scale) };
  }
}
