import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRunError } from '../run/errors.ts';
import { parseAs } from './parse.ts';
import { parseBool, parseCounts, parseInt_, parseJson, parseList } from './parse-value.ts';

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isRunError(e) && e.kind).toBe('ParseFailed');
    return (e as Error).message;
  }
  throw new Error('expected ParseFailed');
}

describe('parse values out of model answers', () => {
  it('reads past think blocks, including unclosed and close-only ones', () => {
    expect(parseInt_('<think>hmm, 7?</think>\n42')).toBe(42);
    expect(parseInt_('12 <think>no, 13')).toBe(12);
    expect(parseInt_('maybe 5...</think> 6')).toBe(6);
  });

  it('reads whole numbers amid chatter and fences', () => {
    expect(parseInt_('There are 12 of them.')).toBe(12);
    expect(parseInt_('```\n1,234\n```')).toBe(1234);
    expect(parseInt_('Answer: -7')).toBe(-7);
    expect(parseInt_('<think>maybe 3</think>The count is 5')).toBe(5);
    expect(failure(() => parseInt_('about 3.5 maybe'))).toMatch(/expected a whole number.*3\.5/);
    expect(failure(() => parseInt_('no idea'))).toMatch(/"no idea"/);
  });

  it('reads yes/no', () => {
    expect(parseBool('**Yes**, it does.')).toBe(true);
    expect(parseBool('No.')).toBe(false);
    expect(parseBool('The answer is false')).toBe(false);
    expect(failure(() => parseBool('maybe'))).toMatch(/yes\/no/);
  });

  it('reads lists as JSON, bullets, numbered lines or commas', () => {
    expect(parseList('Here:\n```json\n["a", "b"]\n```', 10)).toEqual(['a', 'b']);
    expect(parseList('Items:\n- apple\n- pear\n', 10)).toEqual(['apple', 'pear']);
    expect(parseList('1. one\n2) two', 10)).toEqual(['one', 'two']);
    expect(parseList('Answer: red, green; blue.', 10)).toEqual(['red', 'green', 'blue']);
    expect(parseList('None.', 10)).toEqual([]);
    expect(parseList('', 10)).toEqual([]);
    expect(failure(() => parseList('["a","b","c"]', 2))).toMatch(/at most 2 items.*found 3/);
  });

  it('reads counts as JSON or "label: n" lines', () => {
    expect(parseCounts('```json\n{"spam": 3, "ham": "2"}\n```')).toEqual({ spam: 3, ham: 2 });
    expect(parseCounts('Counts:\n- spam: 3\n- ham: 1\n- spam: 1')).toEqual({ spam: 4, ham: 1 });
    expect(parseCounts('none')).toEqual({});
    expect(failure(() => parseCounts('{"a": 1.5}'))).toMatch(/"a" is 1.5/);
    expect(failure(() => parseCounts('I think there are several'))).toMatch(/expected counts/);
  });

  it('reads JSON with a schema', () => {
    const schema = {
      type: 'object',
      required: ['name', 'age'],
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { enum: ['a', 'b'] } },
      },
    };
    expect(parseJson('Sure! {"name": "Ada", "age": 36} Hope it helps {x}', schema)).toEqual({
      name: 'Ada',
      age: 36,
    });
    expect(failure(() => parseJson('{"name": "Ada"}', schema))).toMatch(/\$\.age is missing/);
    expect(failure(() => parseJson('{"name": "Ada", "age": 1, "tags": ["c"]}', schema))).toMatch(/tags\[0\]/);
    expect(failure(() => parseJson('no json here', null))).toMatch(/expected JSON/);
    expect(parseJson('[1, {"a": "}"}]', null)).toEqual([1, { a: '}' }]);
  });

  it('never throws anything but ParseFailed, on any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('counts', 'list', 'int', 'bool', 'json'),
        (t, as) => {
          try {
            parseAs(t, { as, maxItems: 50, schema: null });
          } catch (e) {
            expect(isRunError(e) && e.kind).toBe('ParseFailed');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
