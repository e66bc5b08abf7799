import { describe, expect, it } from 'vitest';
import { quantile, show, summarize } from './stats.ts';

describe('summarize', () => {
  it('gives the median, quartiles and range of unsorted samples', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toEqual({ n: 5, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
  });
  it('interpolates the median of an even count', () => {
    expect(summarize([10, 20, 30, 40]).median).toBe(25);
    expect(quantile([10, 20, 30, 40], 0.25)).toBe(17.5);
  });
  it('ignores samples that are not finite numbers, and says so when none is left', () => {
    expect(summarize([1, Number.NaN, 3, Number.POSITIVE_INFINITY]).n).toBe(2);
    expect(summarize([]).n).toBe(0);
    expect(Number.isNaN(summarize([]).median)).toBe(true);
  });
});

describe('show', () => {
  it('writes the median with the min–max spread', () => {
    expect(show(summarize([1, 2, 4]), 'ms', 1)).toBe('2.0 ms (1.0–4.0)');
    expect(show(summarize([7]), '×', 2)).toBe('7.00 ×');
    expect(show(summarize([]), 'ms')).toBe('—');
  });
  it('groups thousands and keeps negative ranges readable', () => {
    expect(show(summarize([204946, 153651, 225673]), '', 0)).toBe('204,946 (153,651–225,673)');
    expect(show(summarize([-19, 0.1, 3.6]), '%', 1)).toBe('0.1 % (−19.0 to 3.6)');
  });
});
