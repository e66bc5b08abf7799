/**
 * Cutting text into pieces with their spans. Every piece is an exact slice of the input; consecutive
 * pieces meet end to start, except that a piece may begin up to `overlap` characters early (repeating the
 * end of the one before). The empty text gives one empty piece, so a Split's list is never empty.
 *
 * Where a cut falls, best first: at a line break (with `lineCuts`, only there, unless one line alone is
 * over the bound), between words, and only when a stretch of text without spaces is longer than a piece
 * may be (CJK, a long number, one enormous line) a hard cut, which still avoids the middle of a value: it
 * prefers the end of a sentence or clause (。．！？；，、 and their ASCII kin), then a change of script
 * (between a number and the text around it), then any character boundary that does not split a code
 * point, a combining mark from its base, or an emoji sequence.
 *
 * With `maxTokens`, no piece (its overlap included) has more tokens than that: a piece that would is cut
 * again (a `lines` or `records` piece at its own line breaks first). Line breaks are `\n`, `\r\n` and `\r`.
 */

import { fitTokens, type Tokenizer } from '../plan/tokenizer.ts';
import type { Span } from './node-spec.ts';

export type SplitRule =
  | { mode: 'parts'; parts: number }
  | { mode: 'size'; size: number; unit: 'tokens' | 'chars' }
  | { mode: 'lines'; lines: number }
  | { mode: 'records'; delimiter: string; records: number };

export interface SplitResult {
  parts: string[];
  spans: Span[];
}

export interface SplitOptions {
  /** Characters (at most) of each piece's predecessor repeated at its start. */
  overlap?: number;
  /** The leaf bound: no piece is over this many tokens. */
  maxTokens?: number;
  /** Cut only at line breaks, unless a single line is over the bound (plans that count lines). */
  lineCuts?: boolean;
}

const isSpace = (c: number) =>
  c === 0x20 ||
  c === 0x0a ||
  c === 0x0d ||
  c === 0x09 ||
  c === 0x0c ||
  c === 0x0b ||
  c === 0xa0 ||
  c === 0x3000;

/** A cut at `p` is between words: at either end, or next to a space. */
export function isWordBoundary(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  return isSpace(text.charCodeAt(p - 1)) || isSpace(text.charCodeAt(p));
}

/** A cut at `p` starts a line: after `\n`, or after a `\r` not followed by `\n`. */
export function isLineStart(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return p <= 0 || p >= text.length;
  const before = text.charCodeAt(p - 1);
  return before === 0x0a || (before === 0x0d && text.charCodeAt(p) !== 0x0a);
}

/** Joiners, marks and selectors that belong to the character before them. */
function clingsToPrevious(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) || // combining diacritical marks
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfe20 && c <= 0xfe2f) ||
    (c >= 0xfe00 && c <= 0xfe0f) || // variation selectors
    c === 0x200d || // zero-width joiner
    (c >= 0xdc00 && c <= 0xdfff) // a low surrogate: the second half of a code point
  );
}

/** Whether a cut at `p` keeps every character (code point, mark, emoji sequence) whole. */
export function isCharBoundary(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  const c = text.charCodeAt(p);
  if (clingsToPrevious(c)) return false;
  if (text.charCodeAt(p - 1) === 0x200d) return false; // after a joiner: the sequence goes on
  // Emoji skin tones (U+1F3FB–1F3FF) and tag characters (U+E0020–E007F) are astral: high surrogate first.
  if (c === 0xd83c) {
    const low = text.charCodeAt(p + 1);
    if (low >= 0xdffb && low <= 0xdfff) return false;
  }
  if (c === 0xdb40) return false;
  return true;
}

/** Sentence and clause ends, after which a hard cut reads naturally. */
const CLAUSE_END = new Set([
  0x2e,
  0x21,
  0x3f,
  0x3b,
  0x2c,
  0x3a,
  0x29,
  0x5d,
  0x7d, // . ! ? ; , : ) ] }
  0x3002,
  0xff0e,
  0xff01,
  0xff1f,
  0xff1b,
  0xff0c,
  0x3001,
  0xff1a,
  0xff09,
  0x300d,
  0x300f,
  0x3011,
  0x2026,
]);

/** A rough script class, to tell a number or a name in Latin letters from the CJK text around it. */
function scriptOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return 1; // digits
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) return 2; // Latin
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return 3;
  if (c >= 0xac00 && c <= 0xd7af) return 4; // Hangul
  if (c >= 0xd800 && c <= 0xdfff) return 5; // astral: emoji and the like
  return 0;
}

/**
 * A hard cut in (lo, hi], as late as possible but no earlier than the middle: after a clause end, else at
 * a change of script, else at a character boundary. Falls back to the latest character boundary at all.
 */
function hardCut(text: string, lo: number, hi: number): number {
  const floor = Math.max(lo + 1, lo + Math.floor((hi - lo) / 2));
  for (let p = hi; p >= floor; p--)
    if (CLAUSE_END.has(text.charCodeAt(p - 1)) && isCharBoundary(text, p)) return p;
  for (let p = hi; p >= floor; p--) {
    const a = scriptOf(text.charCodeAt(p - 1));
    const b = scriptOf(text.charCodeAt(p));
    if (a !== b && (a === 1 || b === 1 || a === 2 || b === 2) && isCharBoundary(text, p)) return p;
  }
  for (let p = hi; p > lo; p--) if (isCharBoundary(text, p)) return p;
  // One grapheme (an emoji sequence, a base with many marks) longer than the room: cut between its code
  // points, never inside one.
  for (let p = hi; p > lo; p--) if (isCodePointBoundary(text, p)) return p;
  return hi;
}

/** A cut at `p` does not fall between the two halves of a surrogate pair. */
export function isCodePointBoundary(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  const c = text.charCodeAt(p);
  return !(
    c >= 0xdc00 &&
    c <= 0xdfff &&
    text.charCodeAt(p - 1) >= 0xd800 &&
    text.charCodeAt(p - 1) <= 0xdbff
  );
}

/** Whether a text is at most one code point: the one text no Split can make smaller. */
export function isOneCodePoint(text: string): boolean {
  return text.length <= 1 || (text.length === 2 && !isCodePointBoundary(text, 1));
}

/**
 * The cut for a piece that starts at `start` and may end no later than `limit` (< text.length): the
 * latest line break in the second half of the room (anywhere with `lineCuts`), moved back before a
 * comment or heading that leads the line after it (see `beforeLeadingComment`), else the latest word
 * boundary there, else a hard cut. Always > start.
 */
function cutWithin(text: string, start: number, limit: number, lineCuts: boolean): number {
  const half = start + Math.max(1, Math.floor((limit - start) / 2));
  const lineFloor = lineCuts ? start + 1 : half;
  for (let p = limit; p >= lineFloor; p--)
    if (isLineStart(text, p)) return beforeLeadingComment(text, p, half);
  if (!lineCuts || !hasLineBreak(text, start, limit)) {
    for (let p = limit; p >= half; p--)
      if (p > start && isWordBoundary(text, p) && isCharBoundary(text, p)) {
        // Move past the spaces, so the next piece starts at a word.
        let q = p;
        while (q < limit && isSpace(text.charCodeAt(q)) && !isLineStart(text, q)) q++;
        return q > start ? q : p;
      }
  }
  return hardCut(text, start, limit);
}

/** Where the line that ends at line start `end` begins. */
function lineStartBefore(text: string, end: number): number {
  let p = end - 1;
  if (p > 0 && text.charCodeAt(p) === 0x0a && text.charCodeAt(p - 1) === 0x0d) p--;
  while (p > 0 && !isLineStart(text, p)) p--;
  return p;
}

/**
 * A line cut at `p`, moved back (no earlier than `floor`) to before the comment or heading that leads the
 * line after it: a documentation comment (`/** … *\/`, whose description may be many lines above the
 * signature it documents), a run of `//` or `#` comment lines, a Markdown heading. Cut inside one, the
 * piece before ends with a description whose subject is in the next piece. Lines starting with `*` count
 * only inside a block opened by `/*` (elsewhere they are a list).
 */
function beforeLeadingComment(text: string, p: number, floor: number): number {
  let cut = p;
  let block = false;
  for (let end = p; end > floor; ) {
    const from = lineStartBefore(text, end);
    if (from < floor) break;
    const line = text.slice(from, end).trim();
    if (line.startsWith('/*')) return from;
    if (line.startsWith('*')) block = true;
    else if (block) break;
    else if (line.startsWith('//') || line.startsWith('#')) cut = from;
    else break;
    end = from;
  }
  return block ? p : cut;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let p = from + 1; p <= to; p++) if (isLineStart(text, p)) return true;
  return false;
}

/**
 * The cut in [lo, hi] nearest to `target`: preferably a line start, else a word start (a space before it),
 * else any word boundary; if the range holds none, a hard cut near the target.
 */
function cutNear(text: string, target: number, lo: number, hi: number): number {
  const t = Math.max(lo, Math.min(hi, target));
  let word = -1;
  let any = -1;
  const quarter = (hi - lo) / 4;
  for (let d = 0; t - d >= lo || t + d <= hi; d++) {
    for (const p of d === 0 ? [t] : [t - d, t + d]) {
      if (p < lo || p > hi) continue;
      // A line start near the target beats a nearer word start.
      if (d <= quarter && p > 0 && isLineStart(text, p)) return p;
      if (word < 0 && p > 0 && isSpace(text.charCodeAt(p - 1)) && !isSpace(text.charCodeAt(p))) word = p;
      if (any < 0 && isWordBoundary(text, p)) any = p;
    }
    if (word >= 0 && d > quarter) break;
  }
  if (word >= 0) return word;
  if (any >= 0) return any;
  const hard = hardCut(text, Math.max(lo - 1, 0), t);
  return hard >= lo ? hard : t;
}

/** Ends of the line breaks at or after `from`: [position after the break]. */
function lineEnds(text: string, per: number): number[] {
  const ends: number[] = [];
  const n = text.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) continue;
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (i + 1 >= n) break;
    if (++count % per === 0) ends.push(i + 1);
  }
  return ends;
}

/** A delimiter as a pattern in which each `\n` matches any line break. */
function delimiterPattern(delimiter: string): RegExp {
  const parts = delimiter.split('\n').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('(?:\\r\\n|\\r|\\n)'), 'g');
}

/** End positions of the pieces (the last is text.length), before the bound is enforced. */
function cutPoints(text: string, rule: SplitRule, tokenizer: Tokenizer, lineCuts: boolean): number[] {
  const n = text.length;
  const ends: number[] = [];
  switch (rule.mode) {
    case 'parts': {
      const k = Math.max(1, Math.floor(rule.parts));
      const radius = Math.max(1, Math.floor(n / k / 2));
      let prev = 0;
      for (let j = 1; j < k; j++) {
        const target = Math.round((j * n) / k);
        const lo = Math.max(prev + 1, target - radius);
        const hi = Math.min(n - 1, target + radius);
        if (lo > hi) continue;
        const cut = cutNear(text, target, lo, hi);
        if (cut > prev && cut < n) {
          ends.push(cut);
          prev = cut;
        }
      }
      break;
    }
    case 'size': {
      const size = Math.max(1, Math.floor(rule.size));
      let start = 0;
      while (start < n) {
        const limit =
          rule.unit === 'chars' ? Math.min(n, start + size) : fitTokens(tokenizer, text, start, size);
        if (limit >= n) break;
        const cut = cutWithin(text, start, limit, lineCuts);
        ends.push(cut);
        start = cut;
      }
      break;
    }
    case 'lines':
      ends.push(...lineEnds(text, Math.max(1, Math.floor(rule.lines))));
      break;
    case 'records': {
      const per = Math.max(1, Math.floor(rule.records));
      recordEnds(text, rule.delimiter).forEach((end, i) => {
        if ((i + 1) % per === 0) ends.push(end);
      });
      break;
    }
  }
  ends.push(n);
  return ends;
}

/** Where each record ends (after its delimiter), the text's end excluded. */
function recordEnds(text: string, delimiter: string): number[] {
  const out: number[] = [];
  if (delimiter.length === 0) return out;
  const re = delimiterPattern(delimiter);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const end = m.index + m[0].length;
    if (end >= text.length) break;
    out.push(end);
  }
  return out;
}

/** Where a piece repeats the end of the one before: up to `overlap` characters back, at a word start. */
function overlapStart(text: string, prevStart: number, start: number, overlap: number): number {
  if (overlap <= 0 || start <= 0) return start;
  const earliest = Math.max(prevStart + 1, start - Math.floor(overlap));
  // A whole line when one fits, else from a word start; in text without spaces (CJK, one long number),
  // after a clause end, else from the earliest whole character: the overlap is never given up.
  for (let p = earliest; p < start; p++) if (isLineStart(text, p)) return p;
  for (let p = earliest; p < start; p++)
    if (isWordBoundary(text, p) && !isSpace(text.charCodeAt(p)) && isCharBoundary(text, p)) return p;
  for (let p = earliest; p < start; p++)
    if (CLAUSE_END.has(text.charCodeAt(p - 1)) && isCharBoundary(text, p)) return p;
  for (let p = earliest; p < start; p++) if (isCharBoundary(text, p)) return p;
  return start;
}

/** Splits `text` by `rule`, repeating up to `overlap` characters and keeping every piece within `maxTokens`. */
export function splitText(
  text: string,
  rule: SplitRule,
  tokenizer: Tokenizer,
  options: SplitOptions = {},
): SplitResult {
  const overlap = Math.max(0, Math.floor(options.overlap ?? 0));
  const max = options.maxTokens;
  const lineCuts = options.lineCuts === true;
  const ends = cutPoints(text, rule, tokenizer, lineCuts);
  // A records piece over the bound is cut again at a record boundary first.
  const records = max !== undefined && rule.mode === 'records' ? recordEnds(text, rule.delimiter) : [];
  const lineish = lineCuts || rule.mode === 'lines' || rule.mode === 'records';
  const spans: Span[] = [];
  let prevStart = 0;
  let from = 0;
  for (const end of ends) {
    // One natural piece [from, end), cut again while it (with its overlap) is over the bound.
    while (true) {
      let start = spans.length === 0 ? from : overlapStart(text, prevStart, from, overlap);
      if (max === undefined || end - from <= 0 || tokenizer.count(text.slice(start, end)) <= max) {
        spans.push([start, end]);
        prevStart = start;
        from = end;
        break;
      }
      let limit = fitTokens(tokenizer, text, start, max);
      if (limit <= from) {
        // The overlap alone fills the bound: this piece does without it.
        start = from;
        limit = fitTokens(tokenizer, text, start, max);
      }
      const room = Math.min(limit, end - 1);
      const record = lastBetween(records, from, room);
      const cut = record ?? cutWithin(text, from, room, lineish);
      const next = cut > from ? Math.min(end, cut) : Math.min(end, from + 1);
      spans.push([start, next]);
      prevStart = start;
      from = next;
      if (from >= end) break;
    }
  }
  return { parts: spans.map(([a, b]) => text.slice(a, b)), spans };
}

/** The largest value v in a sorted list with lo < v ≤ hi, if any. */
function lastBetween(sorted: readonly number[], lo: number, hi: number): number | undefined {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((sorted[mid] as number) <= hi) a = mid + 1;
    else b = mid;
  }
  const v = sorted[a - 1];
  return v !== undefined && v > lo ? v : undefined;
}
