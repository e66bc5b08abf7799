import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSENT } from './absent.ts';
import { best, combine, dedupeLines, isNotFound, mergeCounts, unionAll, vote } from './combine.ts';

describe('built-in ⊕', () => {
  it('merge-counts adds tallies and is associative', () => {
    const counts = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 50 }));
    fc.assert(
      fc.property(counts, counts, counts, (x, y, z) => {
        expect(mergeCounts([mergeCounts([x, y]), z])).toEqual(mergeCounts([x, mergeCounts([y, z])]));
      }),
    );
    expect(mergeCounts([{ a: 1 }, { a: 2, b: 1 }])).toEqual({ a: 3, b: 1 });
  });

  it('union keeps first occurrences, dedupe keeps distinct lines', () => {
    expect(
      unionAll([
        ['a', 'b'],
        ['b', 'c'],
        [['x'], 'a'],
      ]),
    ).toEqual(['a', 'b', 'c', ['x']]);
    expect(unionAll([[{ a: 1, b: 2 }], [{ b: 2, a: 1 }]])).toHaveLength(1);
    expect(dedupeLines(['x\ny', ' y \n\nz'])).toBe('x\ny\nz');
  });

  it('vote picks the most frequent, ties to the earliest', () => {
    expect(vote(['Paris', 'Lyon', 'paris.', 'Lyon', 'PARIS'])).toBe('Paris');
    expect(vote(['b', 'a'])).toBe('b');
    expect(vote([1, 2, 2])).toBe(2);
  });

  it('best takes the first present answer; "none" and the like are answers unless told otherwise', () => {
    expect(combine('best', [ABSENT, 'none', '4711'])).toBe('none');
    expect(combine('best', [ABSENT, ABSENT])).toBe(ABSENT);
    expect(combine('best', [], { unit: 'x' })).toBe('x');
  });

  it('best with notFoundText (plan format 1) also skips replies that read as "not found"', () => {
    const replies = ['NOT FOUND', '', 'The text does not mention a code.', 'The code is 4711.', 'x'];
    expect(best(replies, true)).toBe('The code is 4711.');
    expect(best(replies)).toBe('NOT FOUND');
    expect(best(['Not found.', 'none'], true)).toBe('Not found.');
    expect(isNotFound('<think>hmm</think> N/A')).toBe(true);
    expect(
      isNotFound(
        `A long answer that explains the result, which was not found at first but then ${'x'.repeat(200)}`,
      ),
    ).toBe(false);
  });

  it('every op skips absent items, and gives absent when every item is', () => {
    expect(combine('sum', [1, ABSENT, 2])).toBe(3);
    expect(combine('merge-counts', [{ a: 1 }, ABSENT, { a: 2 }])).toEqual({ a: 3 });
    expect(combine('concat', ['a', ABSENT, 'b'], { separator: '|' })).toBe('a|b');
    expect(combine('union', [['a'], ABSENT, ['b']])).toEqual(['a', 'b']);
    expect(combine('dedupe', ['x', ABSENT, 'x\ny'])).toBe('x\ny');
    expect(combine('vote', [ABSENT, 'b', ABSENT, 'b', 'a'])).toBe('b');
    for (const op of ['sum', 'merge-counts', 'concat', 'union', 'dedupe', 'vote', 'best'] as const)
      expect(combine(op, [ABSENT, ABSENT]), op).toBe(ABSENT);
  });

  it('uses the unit on an empty list, and refuses an empty list without one', () => {
    expect(combine('sum', [])).toBe(0);
    expect(combine('merge-counts', [])).toEqual({});
    expect(combine('best', [], { unit: 'none' })).toBe('none');
    expect(() => combine('vote', [])).toThrow(/no unit/);
    expect(combine('concat', ['a', 'b'], { separator: '|' })).toBe('a|b');
  });
});
