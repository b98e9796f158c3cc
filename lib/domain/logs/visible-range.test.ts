import { describe, expect, it } from 'vitest';
import { visibleRange } from './visible-range';

describe('visibleRange', () => {
  it('renders the rows in view plus the overscan on both sides', () => {
    // 19 px rows, a 380 px viewport scrolled to row 100: rows 100–119 are in view.
    expect(visibleRange(1900, 380, 10_000, 19, 30)).toEqual({ first: 70, last: 150 });
  });

  it('clamps at the top and at the bottom of the list', () => {
    expect(visibleRange(0, 380, 10_000, 19, 30)).toEqual({ first: 0, last: 50 });
    expect(visibleRange(10_000 * 19 - 380, 380, 10_000, 19, 30)).toEqual({ first: 9950, last: 10_000 });
  });

  it('covers a partly visible row at the bottom edge', () => {
    expect(visibleRange(10, 40, 100, 19, 0)).toEqual({ first: 0, last: 3 });
  });

  it('handles an empty list, a negative (rubber-band) scroll and a scroll past the end', () => {
    expect(visibleRange(0, 380, 0, 19, 30)).toEqual({ first: 0, last: 0 });
    expect(visibleRange(-50, 380, 100, 19, 0)).toEqual({ first: 0, last: 20 });
    expect(visibleRange(1_000_000, 380, 100, 19, 30)).toEqual({ first: 100, last: 100 });
  });
});
