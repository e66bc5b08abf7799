/** Summary of repeated measurements: every figure in the report is a median with its spread. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation). */
  q1: number;
  q3: number;
}

export function summarize(samples: readonly number[]): Summary {
  const xs = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0)
    return { n: 0, median: Number.NaN, min: Number.NaN, max: Number.NaN, q1: Number.NaN, q3: Number.NaN };
  return {
    n: xs.length,
    median: quantile(xs, 0.5),
    min: xs[0]!,
    max: xs[xs.length - 1]!,
    q1: quantile(xs, 0.25),
    q3: quantile(xs, 0.75),
  };
}

/** Quantile of sorted numbers, interpolating between neighbours. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * `12.3 ms (11.0–14.2)`: the median, then min–max, with `digits` decimals and thousands grouped. A range
 * with a negative end is written `(−19.0 to 3.6)`, which a dash would make hard to read.
 */
export function show(s: Summary, unit = '', digits = 1): string {
  if (s.n === 0) return '—';
  const f = (x: number) =>
    x
      .toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
      .replace('-', '−');
  const u = unit ? ` ${unit}` : '';
  if (s.n === 1) return `${f(s.median)}${u}`;
  return `${f(s.median)}${u} (${f(s.min)}${s.min < 0 ? ' to ' : '–'}${f(s.max)})`;
}
