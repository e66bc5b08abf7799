/**
 * How the task families are scored (issue 8), as pure functions. Each gives a score in [0, 1].
 * - S-NIAH: exact match of the code (surrounding whitespace and one pair of quotes forgiven).
 * - OOLONG-style aggregation: a numeric answer scores 0.75^|error|; a tally of counts is the mean of that
 *   score over every category either side names; anything else is exact match.
 * - OOLONG-Pairs: F1 over the set of unordered pairs.
 */

/** Exact match after trimming whitespace and one pair of surrounding quotes. */
export function exactMatch(got: unknown, expected: string): number {
  if (typeof got !== 'string') return 0;
  return unquote(got.trim()) === expected.trim() ? 1 : 0;
}

function unquote(s: string): string {
  const m = /^(["'“])(.*)(["'”])$/s.exec(s);
  return m ? m[2]!.trim() : s;
}

/** OOLONG's numeric score: 0.75 to the power of the absolute error; 0 for a non-number. */
export function numericScore(got: unknown, expected: number): number {
  const n = typeof got === 'string' && got.trim() !== '' ? Number(got.trim()) : got;
  if (typeof n !== 'number' || !Number.isFinite(n)) return 0;
  return 0.75 ** Math.abs(n - expected);
}

/**
 * A tally against the expected tally: the mean numeric score over the categories named by either side
 * (a category missing on one side counts 0 there). A non-object scores 0.
 */
export function countsScore(got: unknown, expected: Readonly<Record<string, number>>): number {
  if (got === null || typeof got !== 'object' || Array.isArray(got)) return 0;
  const tally = got as Record<string, unknown>;
  const keys = new Set([...Object.keys(tally), ...Object.keys(expected)]);
  if (keys.size === 0) return 1;
  let sum = 0;
  for (const k of keys) {
    const value = Object.hasOwn(tally, k) ? tally[k] : 0;
    sum += numericScore(value, Object.hasOwn(expected, k) ? expected[k]! : 0);
  }
  return sum / keys.size;
}

/** OOLONG-style: numbers by 0.75^|error|, tallies by `countsScore`, anything else by exact match. */
export function oolongScore(got: unknown, expected: unknown): number {
  if (typeof expected === 'number') return numericScore(got, expected);
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected))
    return countsScore(got, expected as Record<string, number>);
  return exactMatch(got, String(expected));
}

/** Precision, recall and F1 of a set of unordered pairs against the expected set. */
export function pairF1(
  got: unknown,
  expected: readonly (readonly [string, string])[],
): { precision: number; recall: number; f1: number } {
  const want = new Set(expected.map(([a, b]) => pairKey(a, b)));
  const have = new Set<string>();
  if (Array.isArray(got)) {
    for (const p of got) {
      if (Array.isArray(p) && p.length === 2 && isId(p[0]) && isId(p[1]) && String(p[0]) !== String(p[1]))
        have.add(pairKey(String(p[0]), String(p[1])));
    }
  }
  if (want.size === 0 && have.size === 0) return { precision: 1, recall: 1, f1: 1 };
  let hits = 0;
  for (const k of have) if (want.has(k)) hits++;
  const precision = have.size === 0 ? 0 : hits / have.size;
  const recall = want.size === 0 ? 0 : hits / want.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function isId(x: unknown): x is string | number {
  return typeof x === 'string' || typeof x === 'number';
}

/** Pairs are unordered: (a, b) and (b, a) are one pair. */
function pairKey(a: string, b: string): string {
  const [x, y] = a.trim() < b.trim() ? [a.trim(), b.trim()] : [b.trim(), a.trim()];
  return `${x}\u0000${y}`;
}
