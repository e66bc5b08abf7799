/**
 * Regular expressions that cannot hang. JavaScript's RegExp backtracks: a pattern like `(a+)+$` or even
 * `\s*\s*\s*x` takes exponential or high-polynomial time on hostile input, and plans and inputs are
 * untrusted. So Match compiles its own small subset to a Thompson NFA and simulates all states at once
 * (Pike/Thompson): time O(|text| · |program|), no backtracking, no recursion at match time.
 *
 * Subset: literals; `.`; classes `[a-z]`, `[^…]`; escapes `\d \D \w \W \s \S \b \B \n \r \t` and escaped
 * punctuation; groups `( … )` and `(?: … )`; alternation `|`; quantifiers `* + ?` and `{m}`, `{m,}`,
 * `{m,n}` (a trailing lazy `?` is accepted: only whether it matches is asked); anchors `^` `$` (start and
 * end of the text). Not supported, with a message: backreferences, lookaround, named groups, flags.
 * Limits: the pattern ≤ 500 characters, bounded repetition ≤ 128, the program ≤ 128 states. The work
 * per character of text is at most twice the states (each visited once, each consuming one tested once),
 * counted by `testWithWork`: with these limits, well under a second per MB for any accepted pattern.
 */

/**
 * `maxStates` bounds the work per character of text (REGEX_WORK_PER_CHAR), so that any accepted pattern
 * runs well under a second per MB (`npm run bench -- --only regex`); a repetition {m,n} costs n copies of
 * what it repeats, so `maxRepeat` cannot ask for more than the program may hold.
 */
export const REGEX_LIMITS = { maxPatternLength: 500, maxRepeat: 128, maxStates: 128 } as const;

/** The most work `test` does per character of its text: every state visited, every consuming one tested. */
export const REGEX_WORK_PER_CHAR = 2 * REGEX_LIMITS.maxStates;

type Pred = (c: number) => boolean;
type Ast =
  | { t: 'char'; pred: Pred }
  | { t: 'seq'; items: Ast[] }
  | { t: 'alt'; options: Ast[] }
  | { t: 'repeat'; item: Ast; min: number; max: number } // max = Infinity for unbounded
  | { t: 'assert'; kind: 'start' | 'end' | 'word' | 'notword' };

export class RegexSyntaxError extends Error {}

const isDigit: Pred = (c) => c >= 0x30 && c <= 0x39;
const isWordChar: Pred = (c) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isSpaceChar: Pred = (c) =>
  c === 0x20 ||
  (c >= 0x09 && c <= 0x0d) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const not =
  (p: Pred): Pred =>
  (c) =>
    !p(c);

function foldCase(p: Pred, caseSensitive: boolean): Pred {
  if (caseSensitive) return p;
  return (c) => {
    if (p(c)) return true;
    const s = String.fromCharCode(c);
    const lo = s.toLowerCase().charCodeAt(0);
    const up = s.toUpperCase().charCodeAt(0);
    return (lo !== c && p(lo)) || (up !== c && p(up));
  };
}

class Parser {
  i = 0;
  constructor(
    readonly src: string,
    readonly caseSensitive: boolean,
  ) {}

  fail(message: string): never {
    throw new RegexSyntaxError(`${message} (at character ${this.i + 1})`);
  }

  parseAlt(): Ast {
    const options = [this.parseSeq()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? (options[0] as Ast) : { t: 'alt', options };
  }

  parseSeq(): Ast {
    const items: Ast[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      let atom = this.parseAtom();
      atom = this.parseQuantifiers(atom);
      items.push(atom);
    }
    return { t: 'seq', items };
  }

  parseQuantifiers(atom: Ast): Ast {
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) as RegExpExecArray;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max < min) this.fail('a repetition {m,n} needs m ≤ n');
        if (min > REGEX_LIMITS.maxRepeat || (max !== Infinity && max > REGEX_LIMITS.maxRepeat))
          this.fail(`a repetition may not exceed ${REGEX_LIMITS.maxRepeat}`);
        this.i += m[0].length - 1;
      } else return atom;
      if (atom.t === 'assert') this.fail('an anchor cannot be repeated');
      this.i++;
      if (this.src[this.i] === '?') this.i++; // lazy: same language
      atom = { t: 'repeat', item: atom, min, max };
    }
  }

  parseAtom(): Ast {
    const c = this.src[this.i] as string;
    switch (c) {
      case '(': {
        this.i++;
        if (this.src[this.i] === '?') {
          if (this.src[this.i + 1] === ':') this.i += 2;
          else this.fail('lookaround and named groups are not supported; use (…) or (?:…)');
        }
        const inner = this.parseAlt();
        if (this.src[this.i] !== ')') this.fail('missing ")"');
        this.i++;
        return inner;
      }
      case ')':
        return this.fail('unmatched ")"');
      case '*':
      case '+':
      case '?':
        return this.fail(`"${c}" has nothing to repeat`);
      case '^':
        this.i++;
        return { t: 'assert', kind: 'start' };
      case '$':
        this.i++;
        return { t: 'assert', kind: 'end' };
      case '.':
        this.i++;
        return { t: 'char', pred: (x) => x !== 0x0a && x !== 0x0d };
      case '[':
        return this.parseClass();
      case '\\': {
        const e = this.parseEscape(false);
        return 'assert' in e
          ? { t: 'assert', kind: e.assert }
          : { t: 'char', pred: foldCase(e.pred, this.caseSensitive) };
      }
      default: {
        this.i++;
        const code = c.charCodeAt(0);
        return { t: 'char', pred: foldCase((x) => x === code, this.caseSensitive) };
      }
    }
  }

  /** After a backslash. In a class, \b is not allowed (JS: backspace; rarely meant). */
  parseEscape(inClass: boolean): { pred: Pred } | { assert: 'word' | 'notword' } {
    this.i++;
    const e = this.src[this.i];
    if (e === undefined) this.fail('a pattern cannot end with "\\"');
    this.i++;
    switch (e) {
      case 'd':
        return { pred: isDigit };
      case 'D':
        return { pred: not(isDigit) };
      case 'w':
        return { pred: isWordChar };
      case 'W':
        return { pred: not(isWordChar) };
      case 's':
        return { pred: isSpaceChar };
      case 'S':
        return { pred: not(isSpaceChar) };
      case 'n':
        return { pred: (x) => x === 0x0a };
      case 'r':
        return { pred: (x) => x === 0x0d };
      case 't':
        return { pred: (x) => x === 0x09 };
      case 'b':
      case 'B':
        if (inClass) this.fail('\\b is not supported inside [ ]');
        return { assert: e === 'b' ? 'word' : 'notword' };
      default:
        if (/[0-9]/.test(e)) this.fail('backreferences are not supported');
        if (/[A-Za-z]/.test(e)) this.fail(`unknown escape "\\${e}"`);
        return {
          pred: (
            (code) => (x: number) =>
              x === code
          )(e.charCodeAt(0)),
        };
    }
  }

  parseClass(): Ast {
    this.i++;
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const preds: Pred[] = [];
    let first = true;
    while (this.src[this.i] !== ']' || first) {
      first = false;
      if (this.i >= this.src.length) this.fail('missing "]"');
      let lo: number;
      if (this.src[this.i] === '\\') {
        const e = this.parseEscape(true);
        if (!('pred' in e)) return this.fail('unexpected assertion in a class');
        const escaped = this.src[this.i - 1] as string;
        if (/[dDwWsS]/.test(escaped)) {
          preds.push(e.pred);
          continue;
        }
        lo = escaped === 'n' ? 10 : escaped === 'r' ? 13 : escaped === 't' ? 9 : escaped.charCodeAt(0);
      } else {
        lo = this.src.charCodeAt(this.i);
        this.i++;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let hi: number;
        if (this.src[this.i] === '\\') {
          this.i++;
          const h = this.src[this.i] as string;
          hi = h === 'n' ? 10 : h === 'r' ? 13 : h === 't' ? 9 : h.charCodeAt(0);
          this.i++;
        } else {
          hi = this.src.charCodeAt(this.i);
          this.i++;
        }
        if (hi < lo) this.fail('a range in [ ] goes backwards');
        preds.push((x) => x >= lo && x <= hi);
      } else {
        const code = lo;
        preds.push((x) => x === code);
      }
    }
    this.i++;
    const any: Pred = (x) => preds.some((p) => p(x));
    const folded = foldCase(any, this.caseSensitive);
    return { t: 'char', pred: negate ? not(folded) : folded };
  }
}

// Program: states with up to two epsilon edges or one consuming edge.
type State =
  | { op: 'char'; pred: Pred; next: number }
  | { op: 'split'; a: number; b: number }
  | { op: 'jump'; next: number }
  | { op: 'assert'; kind: 'start' | 'end' | 'word' | 'notword'; next: number }
  | { op: 'match' };

class Compiler {
  states: State[] = [];

  add(s: State): number {
    if (this.states.length >= REGEX_LIMITS.maxStates)
      throw new RegexSyntaxError(
        `the pattern is too large once expanded (over ${REGEX_LIMITS.maxStates} states; a repetition {m,n} makes n copies of what it repeats): use * or + for long runs`,
      );
    this.states.push(s);
    return this.states.length - 1;
  }

  /** Compiles `ast` so that it continues to `next`; returns its entry state. Built back to front. */
  emit(ast: Ast, next: number): number {
    switch (ast.t) {
      case 'char':
        return this.add({ op: 'char', pred: ast.pred, next });
      case 'assert':
        return this.add({ op: 'assert', kind: ast.kind, next });
      case 'seq': {
        let entry = next;
        for (let i = ast.items.length - 1; i >= 0; i--) entry = this.emit(ast.items[i] as Ast, entry);
        return entry;
      }
      case 'alt': {
        let entry = this.emit(ast.options[ast.options.length - 1] as Ast, next);
        for (let i = ast.options.length - 2; i >= 0; i--)
          entry = this.add({ op: 'split', a: this.emit(ast.options[i] as Ast, next), b: entry });
        return entry;
      }
      case 'repeat': {
        let entry = next;
        if (ast.max === Infinity) {
          // loop: split(body → back to split, next)
          const loop = this.add({ op: 'split', a: -1, b: next });
          const body = this.emit(ast.item, loop);
          (this.states[loop] as { a: number }).a = body;
          entry = loop;
        } else {
          // Each optional copy either matches one more item or skips straight to what follows.
          for (let k = ast.max - ast.min; k > 0; k--)
            entry = this.add({ op: 'split', a: this.emit(ast.item, entry), b: next });
        }
        for (let k = 0; k < ast.min; k++) entry = this.emit(ast.item, entry);
        return entry;
      }
    }
  }
}

export interface SafeRegex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text`. Time O(|text| · states); never backtracks. */
  test(text: string): boolean;
  /**
   * `test`, and the work it did: states visited plus characters tested. Never more than
   * `REGEX_WORK_PER_CHAR` per character of the text (plus one position for the end).
   */
  testWithWork(text: string): { matched: boolean; work: number };
}

/** Compiles a pattern of the subset; throws RegexSyntaxError with a plain-words reason otherwise. */
export function compileSafeRegex(source: string, options: { caseSensitive?: boolean } = {}): SafeRegex {
  if (source.length > REGEX_LIMITS.maxPatternLength)
    throw new RegexSyntaxError(`the pattern is longer than ${REGEX_LIMITS.maxPatternLength} characters`);
  const parser = new Parser(source, options.caseSensitive ?? false);
  const ast = parser.parseAlt();
  if (parser.i < source.length) parser.fail('unmatched ")"');
  const compiler = new Compiler();
  const match = compiler.add({ op: 'match' });
  const start = compiler.emit(ast, match);
  const machine = new Machine(compiler.states, start);
  return {
    source,
    test: (text) => machine.run(text, false).matched,
    testWithWork: (text) => machine.run(text, true),
  };
}

/** Why a pattern is refused, or null when it compiles. */
export function regexProblem(source: string): string | null {
  try {
    compileSafeRegex(source);
    return null;
  } catch (e) {
    return e instanceof RegexSyntaxError ? e.message : String(e);
  }
}

const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_JUMP = 2;
const OP_ASSERT = 3;
const OP_MATCH = 4;
const ASSERT_KINDS = ['start', 'end', 'word', 'notword'] as const;

/**
 * The program in typed arrays, simulated Pike/Thompson style: the set of live states advances one
 * character at a time, each state entering a set at most once per position. Work per character is at
 * most every state visited once and every consuming state tested once, whatever the pattern and the
 * text; what a state costs is kept small: which character classes accept a character is computed once
 * per distinct character (classes are shared by the copies a `{m,n}` makes), not once per state.
 */
class Machine {
  private readonly op: Uint8Array;
  private readonly next: Int32Array;
  private readonly alt: Int32Array;
  /** For a consuming state: its class; for an assertion: its kind. */
  private readonly arg: Int32Array;
  private readonly classes: Pred[] = [];
  /** Per character code, which classes accept it (1 byte per class); filled as characters are met. */
  private readonly ascii: (Uint8Array | undefined)[] = new Array(128);
  private readonly other = new Map<number, Uint8Array>();
  private readonly size: number;

  constructor(
    states: readonly State[],
    private readonly start: number,
  ) {
    const n = states.length;
    this.size = n;
    this.op = new Uint8Array(n);
    this.next = new Int32Array(n);
    this.alt = new Int32Array(n);
    this.arg = new Int32Array(n);
    const classOf = new Map<Pred, number>();
    states.forEach((st, i) => {
      switch (st.op) {
        case 'char': {
          let k = classOf.get(st.pred);
          if (k === undefined) {
            k = this.classes.length;
            classOf.set(st.pred, k);
            this.classes.push(st.pred);
          }
          this.op[i] = OP_CHAR;
          this.next[i] = st.next;
          this.arg[i] = k;
          break;
        }
        case 'split':
          this.op[i] = OP_SPLIT;
          this.next[i] = st.a;
          this.alt[i] = st.b;
          break;
        case 'jump':
          this.op[i] = OP_JUMP;
          this.next[i] = st.next;
          break;
        case 'assert':
          this.op[i] = OP_ASSERT;
          this.next[i] = st.next;
          this.arg[i] = ASSERT_KINDS.indexOf(st.kind);
          break;
        case 'match':
          this.op[i] = OP_MATCH;
          break;
      }
    });
  }

  private accepting(c: number): Uint8Array {
    let row = c < 128 ? this.ascii[c] : this.other.get(c);
    if (row) return row;
    row = new Uint8Array(this.classes.length);
    for (let k = 0; k < this.classes.length; k++) row[k] = (this.classes[k] as Pred)(c) ? 1 : 0;
    if (c < 128) this.ascii[c] = row;
    else {
      // CJK text meets thousands of characters: keep the table bounded.
      if (this.other.size >= 4096) this.other.clear();
      this.other.set(c, row);
    }
    return row;
  }

  run(text: string, counting: boolean): { matched: boolean; work: number } {
    const { op, next, alt, arg, size, start } = this;
    const len = text.length;
    // Two generations of marks and stacks, swapped at each position: `now` is closed over the epsilon
    // edges at `pos` (each state pushed once, marked when pushed); a consuming state that accepts the
    // character at `pos` pushes its successor onto `then`, the stack of `pos + 1`.
    let markNow = new Uint32Array(size);
    let markThen = new Uint32Array(size);
    let now = new Int32Array(size);
    let then = new Int32Array(size);
    let sp = 0;
    let spThen = 0;
    let gen = 1;
    let work = 0;
    let matched = false;
    const isWordAt = (p: number) => p >= 0 && p < len && isWordChar(text.charCodeAt(p));

    markNow[start] = gen;
    now[sp++] = start;
    for (let pos = 0; ; pos++) {
      const row = pos < len ? this.accepting(text.charCodeAt(pos)) : undefined;
      work += sp;
      while (sp > 0) {
        const i = now[--sp] as number;
        const o = op[i];
        if (o === OP_CHAR) {
          work++;
          if (row !== undefined && row[arg[i] as number] === 1) {
            const a = next[i] as number;
            if (markThen[a] !== gen + 1) {
              markThen[a] = gen + 1;
              then[spThen++] = a;
            }
          }
        } else if (o === OP_SPLIT) {
          const b = alt[i] as number;
          if (markNow[b] !== gen) {
            markNow[b] = gen;
            now[sp++] = b;
            work++;
          }
          const a = next[i] as number;
          if (markNow[a] !== gen) {
            markNow[a] = gen;
            now[sp++] = a;
            work++;
          }
        } else if (o === OP_JUMP) {
          const a = next[i] as number;
          if (markNow[a] !== gen) {
            markNow[a] = gen;
            now[sp++] = a;
            work++;
          }
        } else if (o === OP_ASSERT) {
          const kind = arg[i];
          const ok =
            kind === 0
              ? pos === 0
              : kind === 1
                ? pos === len
                : (isWordAt(pos - 1) !== isWordAt(pos)) === (kind === 2);
          const a = next[i] as number;
          if (ok && markNow[a] !== gen) {
            markNow[a] = gen;
            now[sp++] = a;
            work++;
          }
        } else matched = true;
      }
      if (matched || pos >= len) break;
      // Unanchored: a match may begin at every position.
      gen++;
      if (markThen[start] !== gen) {
        markThen[start] = gen;
        then[spThen++] = start;
      }
      const marks = markNow;
      markNow = markThen;
      markThen = marks;
      const stack = now;
      now = then;
      then = stack;
      sp = spThen;
      spThen = 0;
    }
    return { matched, work: counting ? work : 0 };
  }
}
