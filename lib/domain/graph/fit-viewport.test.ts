import { describe, expect, it } from 'vitest';
import { fitViewport, type FitOptions } from './fit-viewport';

const PIPELINE: FitOptions = { pad: 24, maxZoom: 1.1, readableZoom: 0.6, centerX: true, topWhenPanned: false };
const TREE: FitOptions = { pad: 20, maxZoom: 1, readableZoom: 0.65, centerX: false, topWhenPanned: true };

describe('fitViewport', () => {
  it('centres a small graph at the largest zoom allowed', () => {
    expect(fitViewport({ width: 200, height: 100 }, { width: 1000, height: 400 }, PIPELINE)).toEqual({
      x: (1000 - 200 * 1.1) / 2,
      y: (400 - 100 * 1.1) / 2,
      zoom: 1.1,
    });
  });

  it('shrinks a graph to fit when that stays readable', () => {
    const v = fitViewport({ width: 1360, height: 100 }, { width: 1000, height: 400 }, PIPELINE);
    expect(v.zoom).toBeCloseTo(0.7, 5);
    expect(v.x).toBeCloseTo((1000 - 1360 * 0.7) / 2, 5);
  });

  it('keeps a readable zoom and starts at the left edge when the graph is too wide (a phone)', () => {
    const v = fitViewport({ width: 2000, height: 100 }, { width: 390, height: 300 }, PIPELINE);
    expect(v.zoom).toBe(0.6);
    expect(v.x).toBe(24);
    expect(v.y).toBe((300 - 100 * 0.6) / 2);
  });

  it('a tree starts at the left, centred vertically when it fits and at the top when it does not', () => {
    expect(fitViewport({ width: 500, height: 100 }, { width: 1000, height: 300 }, TREE)).toEqual({
      x: 20,
      y: (300 - 100) / 2,
      zoom: 1,
    });
    expect(fitViewport({ width: 3000, height: 100 }, { width: 390, height: 300 }, TREE)).toEqual({
      x: 20,
      y: 20,
      zoom: 0.65,
    });
  });

  it('never puts the graph closer to the top than the padding', () => {
    expect(fitViewport({ width: 100, height: 1000 }, { width: 1000, height: 300 }, TREE).y).toBe(20);
  });
});
