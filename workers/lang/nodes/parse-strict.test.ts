import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRunError } from '../run/errors.ts';
import { strictBool, strictCounts, strictInt, strictJson, strictLines, strictList } from './parse-strict.ts';

const fails = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return isRunError(e) && e.kind === 'ParseFailed';
  }
  return false;
};

describe('strict Parse never guesses', () => {
  it('reads a value that is the whole answer, fenced or not, around think blocks', () => {
    expect(strictList('["a", " b ", 3]', 10)).toEqual(['a', 'b', '3']);
    expect(strictList('```json\n["x"]\n```', 10)).toEqual(['x']);
    expect(strictList('<think>hmm</think>\n[]', 10)).toEqual([]);
    expect(strictCounts('{"abbreviation": 3, "entity": 0}')).toEqual({ abbreviation: 3, entity: 0 });
    expect(strictInt(' 1,234 ')).toBe(1234);
    expect(strictInt('-7')).toBe(-7);
    expect(strictBool('Yes')).toBe(true);
    expect(strictBool('false')).toBe(false);
    expect(strictJson('{"a": [1]}', { type: 'object', required: ['a'] })).toEqual({ a: [1] });
    expect(strictLines('- one\n2. two\r\n\n  three  ', 10)).toEqual(['one', 'two', 'three']);
  });

  it('refuses prose, near misses and the wrong shape', () => {
    // The OOLONG-Pairs case: a JSON object where a list was asked for is not 703 "pairs".
    expect(fails(() => strictList('{"pairs": [[1, 2], [3, 4]]}', 1000))).toBe(true);
    expect(fails(() => strictList('a, b, c', 10))).toBe(true);
    expect(fails(() => strictList('Here you go: ["a"]', 10))).toBe(true);
    expect(fails(() => strictList('["a", "b"]', 1))).toBe(true);
    expect(fails(() => strictCounts('{"a": 1.5}'))).toBe(true);
    expect(fails(() => strictCounts('{"a": "3"}'))).toBe(true);
    expect(fails(() => strictCounts('a: 3'))).toBe(true);
    expect(fails(() => strictInt('There are 12.'))).toBe(true);
    expect(fails(() => strictInt('3.5'))).toBe(true);
    expect(fails(() => strictBool('Yes, it does.'))).toBe(true);
    expect(fails(() => strictJson('{"a": 1} and more', null))).toBe(true);
    expect(fails(() => strictJson('{}', { type: 'object', required: ['a'] }))).toBe(true);
  });

  it('a list read from any text is that text as JSON, or a failure', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        let ok = true;
        try {
          strictList(text, 1000);
        } catch (e) {
          ok = false;
          expect(isRunError(e)).toBe(true);
        }
        if (ok)
          expect(Array.isArray(JSON.parse(text.replace(/^```[^\n`]*\n|\n?```$/g, '').trim() || 'null'))).toBe(
            true,
          );
      }),
      { numRuns: 500 },
    );
  });
});
