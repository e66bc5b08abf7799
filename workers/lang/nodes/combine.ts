/**
 * The built-in ⊕ operators of Reduce, as pure functions for the evaluator. `concat`, `merge-counts`,
 * `sum`, `union`, `dedupe` and `best` are associative, so a left fold and a tree fold give the same
 * result; `vote` is not (a majority of majorities is not the majority), which is why it reads the whole
 * list at once. Those with a natural unit are defined on [].
 *
 * Absent items ("no answer here") are skipped by every op: `best` takes the first present item, the
 * others combine the present ones. A list whose items are all absent gives absent; the empty list gives
 * the unit, as before.
 */

import { stripThink } from '../run/think.ts';
import { ABSENT, isAbsent } from './absent.ts';
import type { Value } from './node-spec.ts';
import type { ReduceOp } from './reduce.ts';
import { OPS_WITH_UNIT } from './reduce.ts';

export function concatAll(items: readonly string[], separator: string): string {
  return items.join(separator);
}

export function mergeCounts(items: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of items)
    for (const [k, v] of Object.entries(counts)) if (k !== '__proto__') out[k] = (out[k] ?? 0) + v;
  return out;
}

export function sumAll(items: readonly number[]): number {
  return items.reduce((a, b) => a + b, 0);
}

/** Stable identity of a value for set operations and votes. */
export function valueKey(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : x,
  );
}

/** All items of all lists, each once, in order of first appearance. */
export function unionAll(lists: readonly Value[][]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const list of lists)
    for (const item of list) {
      const key = valueKey(item);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
  return out;
}

/** The distinct non-empty lines of all texts (trimmed), in order of first appearance. */
export function dedupeLines(items: readonly string[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of items)
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (t !== '' && !seen.has(t)) {
        seen.add(t);
        out.push(t);
      }
    }
  return out.join('\n');
}

const normalise = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');

/** The most frequent item (texts compared without case and trailing punctuation); ties go to the earliest. */
export function vote(items: readonly Value[]): Value {
  const counts = new Map<string, { n: number; first: number }>();
  items.forEach((item, i) => {
    const key = typeof item === 'string' ? `s:${normalise(item)}` : valueKey(item);
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { n: 1, first: i });
  });
  let best: { n: number; first: number } | undefined;
  for (const c of counts.values())
    if (!best || c.n > best.n || (c.n === best.n && c.first < best.first)) best = c;
  return items[best?.first ?? 0] as Value;
}

const NOT_FOUND = [
  /^(not found|none|no answer|unknown|n\/a|nothing|null|no|no information|no relevant information)$/,
  /\b(not found|not mentioned|not present|not contain|no mention|cannot find|can't find|could not find|couldn't find|no relevant|not provided|not specified|not available|(does|do|did) not (mention|contain|include|say|state|specify|appear)|(doesn't|don't|didn't) (mention|contain|include|say|state|specify|appear)|no information|not in the (text|passage|context|document))\b/,
  /^i (do not|don't) know\b/,
];

/** A reply that says the answer is not in the piece ("NOT FOUND", "The text does not mention…"). */
export function isNotFound(answer: string): boolean {
  const a = normalise(stripThink(answer).trim()).replace(/^["'`*]+|["'`*]+$/g, '');
  if (a === '') return true;
  if (NOT_FOUND[0]?.test(a)) return true;
  // Only short replies are judged by phrase: a long answer may mention "not found" in passing.
  return a.length <= 160 && NOT_FOUND.slice(1).some((re) => re.test(a));
}

/**
 * The first item. With `notFoundText` (plan format 1's `best`, written out when such a plan is
 * migrated), the first that is not empty and does not read as a "not found" reply, failing that the first.
 */
export function best(items: readonly string[], notFoundText = false): string {
  if (!notFoundText) return items[0] as string;
  return items.find((s) => !isNotFound(s)) ?? (items[0] as string);
}

/** The unit of an op that has one (concat "", merge-counts {}, sum 0, union [], dedupe ""). */
export function naturalUnit(op: ReduceOp): Value | undefined {
  switch (op) {
    case 'concat':
    case 'dedupe':
      return '';
    case 'merge-counts':
      return {};
    case 'sum':
      return 0;
    case 'union':
      return [];
    default:
      return undefined;
  }
}

/**
 * Reduces a list with a built-in op. `unit` (the Reduce's unit input, when wired) is the result for an
 * empty list; ops with a natural unit use theirs. The checker rejects a possibly empty list without a
 * unit for vote/best/body, so the error below means the checker let something through.
 */
export function combine(
  op: Exclude<ReduceOp, 'body'>,
  all: readonly Value[],
  options: { separator?: string; unit?: Value; notFoundText?: boolean } = {},
): Value {
  const items = all.some(isAbsent) ? all.filter((v) => !isAbsent(v)) : all;
  if (items.length === 0 && all.length > 0) return ABSENT;
  if (items.length === 0) {
    if (options.unit !== undefined) return options.unit;
    const unit = naturalUnit(op);
    if (unit === undefined || !OPS_WITH_UNIT.includes(op))
      throw new Error(`Reduce (${op}) got an empty list and has no unit`);
    return unit;
  }
  switch (op) {
    case 'concat':
      return concatAll(items as string[], options.separator ?? '\n\n');
    case 'merge-counts':
      return mergeCounts(items as Record<string, number>[]);
    case 'sum':
      return sumAll(items as number[]);
    case 'union':
      return unionAll(items as Value[][]);
    case 'dedupe':
      return dedupeLines(items as string[]);
    case 'vote':
      return vote(items);
    case 'best':
      return best(items as string[], options.notFoundText === true);
  }
}
