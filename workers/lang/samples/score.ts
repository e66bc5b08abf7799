import { isAbsent } from '../nodes/absent.ts';

/**
 * One scorer per task family (docs/examples.md), as pure functions giving a score in [0, 1]. The tests,
 * the app's "matches the expected answer" check and the benchmarks all use these.
 *
 * - Question answering (S-NIAH, multi-document QA, code QA): exact match after normalising case,
 *   whitespace, surrounding punctuation, quotes and articles ("1843", "1843." and " 1843 " are one answer);
 *   otherwise the token F1 of SQuAD as partial credit ("in 1843" scores 0.67), which is the paper's F1.
 * - OOLONG: a number scores 0.75^|error| (the paper's rule; a short answer holding one number is read as
 *   that number), a tally the mean of that over every category either side names, a label exact match.
 * - OOLONG-Pairs: F1 over the set of unordered pairs.
 * - Classification: exact match of the label after normalising.
 * - Summary: 1 when the summary begins with the document's lead sentence and keeps within its length.
 *
 * An expected answer of `null` means the document does not hold one: then only an absent result (a run
 * that found nothing) scores 1, and any confident answer scores 0.
 */

/**
 * Whether a result says "no answer found": a run that ends absent has no result (`undefined`), and the
 * absent value itself may be passed along too.
 */
export function isAbsentResult(result: unknown): boolean {
  return result === undefined || result === null || isAbsent(result);
}

/** Lower case, no surrounding quotes or punctuation, no articles, single spaces. */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/^[\s"'“”‘’`*«»「」『』([{]+|[\s"'“”‘’`*«»「」『』)\]}.,;:!?。，；：！？]+$/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function tokensOf(text: string): string[] {
  const words: string[] = [];
  for (const piece of normaliseAnswer(text).split(' ')) {
    // Scripts written without spaces count one token per character, as SQuAD-style scorers do for CJK.
    for (const part of piece.match(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{P}]+/gu,
    ) ?? [])
      words.push(part);
  }
  return words;
}

/** SQuAD's token F1 between two answers. */
export function tokenF1(got: string, expected: string): number {
  const a = tokensOf(got);
  const b = tokensOf(expected);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of a) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      same++;
      counts.set(t, n - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / a.length;
  const recall = same / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Question answering: 1 for the same normalised answer, else token F1; `null` expects no answer. */
export function qaScore(got: unknown, expected: string | null): number {
  if (expected === null) return isAbsentResult(got) ? 1 : 0;
  if (typeof got === 'number') got = String(got);
  if (typeof got !== 'string') return 0;
  if (normaliseAnswer(got) === normaliseAnswer(expected)) return 1;
  return tokenF1(got, expected);
}

/** A number out of a short answer: the number itself, or the only number in up to twelve words. */
export function readNumber(got: unknown): number | undefined {
  if (typeof got === 'number') return Number.isFinite(got) ? got : undefined;
  if (typeof got !== 'string') return undefined;
  const text = got.trim();
  if (text === '' || text.split(/\s+/).length > 12) return undefined;
  const numbers = text.replace(/(\d),(?=\d{3}\b)/g, '$1').match(/-?\d+(?:\.\d+)?/g) ?? [];
  return numbers.length === 1 ? Number(numbers[0]) : undefined;
}

/** OOLONG's numeric score: 0.75 to the power of the absolute error; 0 for what is not a number. */
export function numericScore(got: unknown, expected: number): number {
  const n = readNumber(got);
  return n === undefined ? 0 : 0.75 ** Math.abs(n - expected);
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
    sum += typeof value === 'number' ? numericScore(value, Object.hasOwn(expected, k) ? expected[k]! : 0) : 0;
  }
  return sum / keys.size;
}

/** A label or other short text answer: exact after normalising. */
export function labelScore(got: unknown, expected: string | null): number {
  if (expected === null) return isAbsentResult(got) ? 1 : 0;
  return typeof got === 'string' && normaliseAnswer(got) === normaliseAnswer(expected) ? 1 : 0;
}

/** OOLONG: numbers by 0.75^|error|, tallies by `countsScore`, labels by exact match. */
export function oolongScore(got: unknown, expected: unknown): number {
  if (expected === null) return isAbsentResult(got) ? 1 : 0;
  if (typeof expected === 'number') return numericScore(got, expected);
  if (typeof expected === 'object' && !Array.isArray(expected))
    return countsScore(got, expected as Record<string, number>);
  return labelScore(got, String(expected));
}

/** Pairs are unordered: (a, b) and (b, a) are one pair. */
function pairKey(a: string, b: string): string {
  const [x, y] = a.trim() < b.trim() ? [a.trim(), b.trim()] : [b.trim(), a.trim()];
  return `${x}\u0000${y}`;
}

const isId = (x: unknown): x is string | number => typeof x === 'string' || typeof x === 'number';

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

/** OOLONG-Pairs: F1 over the pair set (no pairs expected: an empty or absent result is right). */
export function pairsScore(got: unknown, expected: readonly (readonly [string, string])[] | null): number {
  const want = expected ?? [];
  if (want.length === 0 && isAbsentResult(got)) return 1;
  return pairF1(got, want).f1;
}

/** What a summary must do: begin with the document's lead sentence, within a length. */
export interface SummaryExpectation {
  lead: string;
  maxChars: number;
}

export function summaryScore(got: unknown, expected: SummaryExpectation): number {
  if (typeof got !== 'string') return 0;
  const text = got.trim();
  return text.startsWith(expected.lead) && text.length <= expected.maxChars ? 1 : 0;
}

/**
 * Multiple choice (code QA): right when the answer is the expected letter, alone or leading
 * ("B", "(B)", "B.", "B) tidy_store").
 */
export function choiceScore(got: unknown, expected: string | null): number {
  if (expected === null) return isAbsentResult(got) ? 1 : 0;
  if (typeof got !== 'string') return 0;
  const m = /^\s*[("'*]*([A-Za-z])(?:[)"'*.:,]|\s|$)/.exec(got);
  return m && m[1]!.toUpperCase() === expected.toUpperCase() ? 1 : 0;
}
