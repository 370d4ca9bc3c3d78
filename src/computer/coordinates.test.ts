import { describe, expect, it } from 'vitest';
import { CoordinateSpace } from './coordinates.js';
import { ComputerActionError } from './errors.js';

describe('CoordinateSpace', () => {
  it('is 1:1 by default and refuses points outside the screenshot', () => {
    const space = new CoordinateSpace({ screen: { width: 1024, height: 768 } });
    expect(space.image).toEqual({ width: 1024, height: 768 });
    expect(space.toScreen({ x: 1023, y: 767 })).toEqual({ x: 1023, y: 767 });
    expect(() => space.toScreen({ x: 1024, y: 0 }, 'click')).toThrow(/click \(1024, 0\) is outside the 1024×768 screenshot/);
    expect(() => space.toScreen({ x: -1, y: 0 })).toThrow(ComputerActionError);
    expect(() => space.toScreen({ x: Number.NaN, y: 0 })).toThrow(/numeric/);
  });

  it('uses one scale factor for both axes', () => {
    const space = new CoordinateSpace({ screen: { width: 1280, height: 800 }, scale: 0.8 });
    expect(space.image).toEqual({ width: 1024, height: 640 });
    expect(space.toScreen({ x: 512, y: 320 })).toEqual({ x: 640, y: 400 });
    expect(space.toScreen({ x: 1023, y: 639 })).toEqual({ x: 1279, y: 799 });
    expect(space.toModel({ x: 640, y: 400 })).toEqual({ x: 512, y: 320 });
    expect(() => new CoordinateSpace({ screen: { width: 10, height: 10 }, scale: 1.5 })).toThrow(RangeError);
  });

  it('maps normalised grids (0–1000 inclusive) and refuses beyond them', () => {
    const space = new CoordinateSpace({ screen: { width: 1024, height: 768 }, grid: { width: 1000, height: 1000 } });
    expect(space.modelSize).toEqual({ width: 1000, height: 1000 });
    expect(space.toScreen({ x: 500, y: 500 })).toEqual({ x: 512, y: 384 });
    expect(space.toScreen({ x: 1000, y: 1000 })).toEqual({ x: 1023, y: 767 });
    expect(space.toScreen({ x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(() => space.toScreen({ x: 1001, y: 5 })).toThrow(/outside the coordinate grid \(0–1000, 0–1000\)/);
    expect(space.toModel({ x: 512, y: 384 })).toEqual({ x: 500, y: 500 });
  });
});
