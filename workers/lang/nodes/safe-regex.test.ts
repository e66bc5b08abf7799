import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSafeRegex, REGEX_LIMITS, REGEX_WORK_PER_CHAR, regexProblem } from './safe-regex.ts';

const test = (pattern: string, text: string, caseSensitive = true) =>
  compileSafeRegex(pattern, { caseSensitive }).test(text);

describe('safe regex', () => {
  it('matches like JavaScript on the subset', () => {
    const cases: [string, string][] = [
      ['abc', 'xxabcxx'],
      ['a.c', 'abc'],
      ['a.c', 'a\nc'],
      ['^abc$', 'abc'],
      ['^abc$', 'abcd'],
      ['colou?r', 'color'],
      ['(ab)+c', 'ababc'],
      ['(?:ab){2}c', 'abc'],
      ['a{2,3}', 'caab'],
      ['a{2,}b', 'aaab'],
      ['[a-c]+x', 'zzbcax'],
      ['[^0-9]', '123'],
      ['\\d+\\.\\d+', 'v1.25'],
      ['\\bcat\\b', 'concat'],
      ['\\bcat\\b', 'a cat!'],
      ['\\Bcat', 'concat'],
      ['secret (code|key)\\s*[:=]', 'the secret key = 42'],
      ['x|y|z', 'aaz'],
      ['(a|)+b', 'b'],
      ['[\\w-]+@[\\w.]+', 'mail: a-b@c.org'],
      ['\\s$', 'end '],
      ['a*?b', 'aab'],
    ];
    for (const [p, t] of cases)
      expect(test(p, t), `${p} on ${JSON.stringify(t)}`).toBe(new RegExp(p).test(t));
  });

  it('agrees with RegExp on random simple patterns and texts', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\s', '(a|b)', '(?:ab)', '\\b', 'x');
    const quant = fc.constantFrom('', '', '*', '+', '?', '{1,2}', '{2}');
    const pattern = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([a, q]) => (a === '\\b' ? a : a + q)).join(''));
    const text = fc.stringMatching(/^[ab1 x\n]{0,20}$/);
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, t, anchored) => {
        const src = anchored ? `^${p}$` : p;
        expect(test(src, t)).toBe(new RegExp(src).test(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('folds case unless asked not to', () => {
    expect(test('Secret', 'the SECRET', false)).toBe(true);
    expect(test('Secret', 'the SECRET', true)).toBe(false);
    expect(test('[a-z]+!', 'HEY!', false)).toBe(true);
  });

  it('answers hostile patterns on long inputs without backtracking', () => {
    // Each of these takes exponential or high-polynomial time with a backtracking engine.
    const text = `${'a'.repeat(20_000)}!`;
    for (const p of ['(a+)+$', '^(a|aa)*$', 'a*a*a*a*a*b', '(a*)*b', '^(\\w+\\s?)*$'])
      expect(test(p, text), p).toBe(false);
  });

  it('refuses what it does not support, with a reason', () => {
    expect(regexProblem('(a)\\1')).toMatch(/backreferences/);
    expect(regexProblem('(?=a)')).toMatch(/lookaround/);
    expect(regexProblem('(?<n>a)')).toMatch(/lookaround|named/);
    expect(regexProblem('a{129}')).toMatch(/128/);
    expect(regexProblem('(a{100}){100}')).toMatch(/too large .*use \* or \+/);
    expect(regexProblem('x'.repeat(501))).toMatch(/longer than/);
    expect(regexProblem('(ab')).toMatch(/missing "\)"/);
    expect(regexProblem('ab)')).toMatch(/unmatched/);
    expect(regexProblem('*a')).toMatch(/nothing to repeat/);
    expect(regexProblem('[b-a]')).toMatch(/backwards/);
    expect(regexProblem('\\q')).toMatch(/unknown escape/);
    expect(regexProblem('a\\')).toMatch(/cannot end/);
    expect(regexProblem('[abc')).toMatch(/missing "]"/);
    expect(regexProblem('ok (fine|good)')).toBeNull();
  });

  it('never throws anything but a syntax error on random patterns', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (p) => {
        const problem = regexProblem(p);
        if (problem === null) compileSafeRegex(p).test('some text 123 ab');
      }),
      { numRuns: 2000 },
    );
  });

  it('does a bounded amount of work per character, whatever the pattern (counted, not timed)', () => {
    const atom = fc.constantFrom(
      'a',
      'b',
      '.',
      '[ab]',
      '[^a]',
      '\\d',
      '\\w',
      '\\s',
      '(a|b)',
      '(?:ab)',
      '\\b',
      '^',
      '$',
    );
    const quant = fc.constantFrom('', '*', '+', '?', '{1,3}', '{4}', '{0,9}', '{2,}');
    const pattern = fc
      .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.map(([a, q]) => (a === '\\b' || a === '^' || a === '$' ? a : a + q)).join(''))
      .chain((p) => fc.constantFrom(p, `(?:${p}){1,9}`, `(?:${p})*x`));
    const text = fc.stringMatching(/^[ab1 x\n]{0,300}$/);
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        if (regexProblem(p) !== null) return;
        const { matched, work } = compileSafeRegex(p, { caseSensitive: true }).testWithWork(t);
        expect(matched).toBe(new RegExp(p).test(t));
        expect(work).toBeLessThanOrEqual(REGEX_WORK_PER_CHAR * (t.length + 1));
      }),
      { numRuns: 1500 },
    );
  });

  it('the patterns that took 37–54 s per MB are refused, and the largest accepted ones stay in bounds', () => {
    for (const p of ['(?:[ab]?){600}x', '(?:.?){900}z', '(?:a?){500}a{500}'])
      expect(regexProblem(p), p).toMatch(/too large|may not exceed/);
    const largest = (f: (n: number) => string) => {
      let n = 1;
      while (regexProblem(f(n + 1)) === null) n++;
      return f(n);
    };
    const text = 'ab a'.repeat(25_000);
    for (const f of [
      (n: number) => `(?:[ab]?){${n}}x`,
      (n: number) => `(?:.?){${n}}z`,
      (n: number) => `(?:a?){${n}}a{${n}}`,
    ]) {
      const p = largest(f);
      const { work } = compileSafeRegex(p).testWithWork(text);
      // All states alive at every character: the bound is reached, not exceeded.
      expect(work, p).toBeGreaterThan(REGEX_LIMITS.maxStates * text.length);
      expect(work, p).toBeLessThanOrEqual(REGEX_WORK_PER_CHAR * (text.length + 1));
    }
  });
});
