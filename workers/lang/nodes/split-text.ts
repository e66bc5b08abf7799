/**
 * Cutting text into pieces with their spans. Every piece is an exact slice of the input; consecutive
 * pieces meet end to start, except that a piece may begin up to `overlap` characters early (repeating the
 * end of the one before). A cut never falls inside a word (between two non-space characters) unless a
 * single word is longer than the room a piece has; then it is cut at the target, never inside a UTF-16
 * surrogate pair. The empty text gives one empty piece, so a Split's list is never empty.
 */

import type { Tokenizer } from '../plan/tokenizer.ts';
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

function notInsideSurrogate(text: string, p: number): number {
  if (p <= 0 || p >= text.length) return p;
  const c = text.charCodeAt(p);
  return c >= 0xdc00 && c <= 0xdfff ? p - 1 : p;
}

/**
 * The cut in [lo, hi] nearest to `target`: preferably a line start, else a word start (a space before it),
 * else any word boundary; if the range holds none, `target` itself (clamped, surrogate-safe).
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
      if (d <= quarter && p > 0 && text.charCodeAt(p - 1) === 0x0a) return p;
      if (word < 0 && p > 0 && isSpace(text.charCodeAt(p - 1)) && !isSpace(text.charCodeAt(p))) word = p;
      if (any < 0 && isWordBoundary(text, p)) any = p;
    }
    if (word >= 0 && d > quarter) break;
  }
  if (word >= 0) return word;
  if (any >= 0) return any;
  const hard = notInsideSurrogate(text, t);
  return hard > lo - 1 ? hard : t;
}

/** End positions of the pieces (the last is text.length). */
function cutPoints(text: string, rule: SplitRule, tokenizer: Tokenizer): number[] {
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
          rule.unit === 'chars' ? Math.min(n, start + size) : longestWithin(text, start, size, tokenizer);
        if (limit >= n) break;
        // Back off to a boundary, but keep at least half the room so pieces stay near the size asked.
        const lo = Math.min(limit, start + Math.max(1, Math.floor((limit - start) / 2)));
        let cut = limit;
        for (let p = limit; p >= lo; p--) {
          if (isWordBoundary(text, p)) {
            cut = p;
            break;
          }
        }
        if (cut === limit && !isWordBoundary(text, limit))
          cut = Math.max(start + 1, notInsideSurrogate(text, limit));
        ends.push(cut);
        start = cut;
      }
      break;
    }
    case 'lines': {
      const per = Math.max(1, Math.floor(rule.lines));
      let count = 0;
      for (let i = 0; i < n - 1; i++) {
        if (text.charCodeAt(i) === 0x0a && ++count % per === 0) ends.push(i + 1);
      }
      break;
    }
    case 'records': {
      const per = Math.max(1, Math.floor(rule.records));
      const delim = rule.delimiter;
      if (delim.length === 0) break;
      let count = 0;
      let from = 0;
      for (;;) {
        const at = text.indexOf(delim, from);
        if (at < 0) break;
        const end = at + delim.length;
        if (end >= n) break;
        if (++count % per === 0) ends.push(end);
        from = end;
      }
      break;
    }
  }
  ends.push(n);
  return ends;
}

/** The largest end e > start with tokens(text[start, e)) ≤ size (at least one character). */
function longestWithin(text: string, start: number, size: number, tokenizer: Tokenizer): number {
  let lo = start + 1;
  // No tokenizer in use averages more than 32 characters a token: bound the search so it stays linear.
  let hi = Math.min(text.length, start + size * 32);
  if (tokenizer.count(text.slice(start, hi)) <= size) return hi;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenizer.count(text.slice(start, mid)) <= size) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Splits `text` by `rule`; `overlap` characters (at most) of each piece's predecessor are repeated. */
export function splitText(text: string, rule: SplitRule, tokenizer: Tokenizer, overlap = 0): SplitResult {
  const ends = cutPoints(text, rule, tokenizer);
  const spans: Span[] = [];
  let prevEnd = 0;
  for (const end of ends) {
    let start = prevEnd;
    if (overlap > 0 && prevEnd > 0) {
      const earliest = Math.max((spans.at(-1)?.[0] ?? 0) + 1, prevEnd - Math.floor(overlap));
      // Start the repeated part at a word start, so the overlap does not begin mid-word.
      for (let p = earliest; p < prevEnd; p++) {
        if (isWordBoundary(text, p) && !isSpace(text.charCodeAt(p))) {
          start = p;
          break;
        }
      }
    }
    spans.push([start, end]);
    prevEnd = end;
  }
  return { parts: spans.map(([a, b]) => text.slice(a, b)), spans };
}
