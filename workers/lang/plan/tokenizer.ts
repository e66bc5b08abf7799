/**
 * Counting tokens. The planner sizes everything in tokens through a Tokenizer, Splits cut pieces by it,
 * and the scheduler's last guard checks every prompt with it, so it must not count low: a piece sized by a
 * count that is too small overflows the model's window.
 */
export interface Tokenizer {
  readonly name: string;
  count(text: string): number;
  /**
   * The largest `end` (start < end ≤ text.length, at least one character) with
   * `count(text.slice(start, end)) ≤ budget`, when the tokenizer can find it faster than by searching.
   */
  fit?(text: string, start: number, budget: number): number;
}

/** The most tokens a text of this many UTF-16 characters counts as in the estimate: one a character. */
export function maxTokensOfChars(chars: number): number {
  return Math.max(0, Math.ceil(chars));
}

/** Chat formatting around each message (role markers and separators), in tokens. */
export const MESSAGE_OVERHEAD = 8;

/** Tokens a chat request's prompt takes: its messages and their formatting. */
export function requestTokens(
  request: { messages: readonly { content: string }[] },
  tokenizer: Tokenizer,
): number {
  let n = 0;
  for (const m of request.messages) n += tokenizer.count(m.content) + MESSAGE_OVERHEAD;
  return n;
}

/**
 * What a code point costs, by script. BPE tokenizers (Qwen, Llama, GPT) give an English word one or two
 * tokens, split digits one by one (or in threes), give a CJK character about one token and an emoji one
 * to four bytes' worth; scripts their vocabularies cover thinly cost a token a character or more. This
 * estimate stays above them on real text: ASCII words a token per 4 letters (a case change starts a new
 * word, as in `getElementById`), accented Latin, Greek, Cyrillic, Hebrew, Arabic words a token per 2
 * letters, a digit a token, CJK a token a character, anything outside the Basic Multilingual Plane
 * (emoji, rare CJK) 2 tokens, every other character (punctuation, symbols, other scripts) a token; a
 * single space before a word is free, other white space a token per newline and per 4 spaces.
 */
enum Cls {
  Ascii = 1,
  Wide = 2,
  Space = 3,
  Newline = 4,
  One = 5,
  Two = 6,
}

function classOf(c: number): Cls {
  if (c < 0x80) {
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return Cls.Ascii;
    if (c === 0x20 || c === 0x09) return Cls.Space;
    if (c === 0x0a || c === 0x0d) return Cls.Newline;
    return Cls.One; // digits, punctuation, control characters
  }
  if (
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || // Latin-1 letters, Latin Extended A/B
    (c >= 0x1e00 && c <= 0x1eff) || // Latin Extended Additional (Vietnamese)
    (c >= 0x370 && c <= 0x3ff) || // Greek
    (c >= 0x400 && c <= 0x52f) || // Cyrillic
    (c >= 0x531 && c <= 0x58f) || // Armenian
    (c >= 0x5d0 && c <= 0x5ea) || // Hebrew letters
    (c >= 0x620 && c <= 0x64a) || // Arabic letters
    (c >= 0x10a0 && c <= 0x10ff) // Georgian
  )
    return Cls.Wide;
  if (c === 0xa0 || c === 0x3000) return Cls.Space;
  if (c >= 0xd800 && c <= 0xdbff) return Cls.Two; // a high surrogate: the code point is astral
  if (c >= 0xdc00 && c <= 0xdfff) return Cls.Space; // its low surrogate costs nothing more
  return Cls.One;
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;

/**
 * Counts `text[start, end)`; when `budget` is given, stops at the last position whose prefix still fits
 * it and returns that position as `end`. One pass, no allocation.
 */
function scan(text: string, start: number, end: number, budget: number): { tokens: number; end: number } {
  let done = 0; // tokens of finished runs
  let run: Cls | 0 = 0; // the word run in progress (Ascii or Wide), or 0
  let runLength = 0;
  let spaces = 0; // spaces in the white-space run in progress
  let lastFit = start;
  const runTokens = () => (run === Cls.Ascii ? Math.ceil(runLength / 4) : Math.ceil(runLength / 2));
  const spaceTokens = () => (spaces <= 1 ? 0 : Math.ceil(spaces / 4));
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const cls = classOf(c);
    if (cls === Cls.Ascii || cls === Cls.Wide) {
      if (spaces > 0) {
        done += spaceTokens();
        spaces = 0;
      }
      const camel = run === Cls.Ascii && cls === Cls.Ascii && isUpper(c) && isLower(text.charCodeAt(i - 1));
      if (run !== cls || camel) {
        if (run) done += runTokens();
        run = cls;
        runLength = 0;
      }
      runLength++;
    } else {
      if (run) {
        done += runTokens();
        run = 0;
        runLength = 0;
      }
      if (cls === Cls.Space) {
        // A low surrogate is classed as space-like but is part of its astral code point (already counted).
        if (!(c >= 0xdc00 && c <= 0xdfff)) spaces++;
      } else {
        if (spaces > 0) {
          done += spaceTokens();
          spaces = 0;
        }
        // A CR LF pair is one line break.
        if (!(c === 0x0a && i > start && text.charCodeAt(i - 1) === 0x0d)) done += cls === Cls.Two ? 2 : 1;
      }
    }
    const total = done + (run ? runTokens() : 0) + (spaces > 1 ? Math.ceil(spaces / 4) : 0);
    if (total > budget) return { tokens: total, end: Math.max(lastFit, start + 1) };
    lastFit = i + 1;
  }
  const tokens = done + (run ? runTokens() : 0) + (spaces > 1 ? Math.ceil(spaces / 4) : 0);
  return { tokens, end: lastFit };
}

/**
 * The default: a conservative estimate by script (see `classOf`), used wherever the model supplies no
 * tokenizer of its own.
 */
export const estimateTokenizer: Tokenizer = {
  name: 'conservative estimate by script',
  count(text: string): number {
    return scan(text, 0, text.length, Number.POSITIVE_INFINITY).tokens;
  },
  fit(text: string, start: number, budget: number): number {
    return scan(text, start, text.length, budget).end;
  },
};

/**
 * The largest end > start with `tokenizer.count(text[start, end)) ≤ budget` (at least one character), by
 * the tokenizer's own `fit` where it has one, else by binary search (counts grow with the prefix).
 */
export function fitTokens(tokenizer: Tokenizer, text: string, start: number, budget: number): number {
  if (tokenizer.fit) return Math.min(text.length, Math.max(start + 1, tokenizer.fit(text, start, budget)));
  let lo = start + 1;
  // No tokenizer in use averages more than 32 characters a token: bound the search so it stays linear.
  let hi = Math.min(text.length, start + Math.max(1, budget) * 32);
  if (tokenizer.count(text.slice(start, hi)) <= budget) return hi;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenizer.count(text.slice(start, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
