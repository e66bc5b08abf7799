import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSafeRegex, regexProblem } from './safe-regex.ts';

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
    expect(regexProblem('a{1001}')).toMatch(/1000/);
    expect(regexProblem('(a{1000}){1000}')).toMatch(/too large/);
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
});
