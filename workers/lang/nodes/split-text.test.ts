import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import type { Span } from './node-spec.ts';
import { runSplit } from './split.ts';
import { isWordBoundary, type SplitRule, splitText } from './split-text.ts';

/** Rebuilds the input from pieces, dropping each piece's repeated head; checks the overlap bound. */
function reassemble(parts: string[], spans: Span[], overlap: number): string {
  let out = '';
  let prevEnd = 0;
  spans.forEach(([from, to], i) => {
    expect(to).toBeGreaterThanOrEqual(from);
    expect(parts[i]?.length).toBe(to - from);
    expect(from).toBeLessThanOrEqual(prevEnd);
    expect(prevEnd - from).toBeLessThanOrEqual(overlap);
    if (i > 0) expect(to).toBeGreaterThan(prevEnd);
    out += (parts[i] as string).slice(prevEnd - from);
    prevEnd = to;
  });
  return out;
}

const words = fc
  .array(fc.oneof(fc.constantFrom(' ', '\n', '\n\n', '  ', '\t'), fc.stringMatching(/^[a-zé😀]{1,12}$/u)), {
    maxLength: 200,
  })
  .map((a) => a.join(''));
const text = fc.oneof(words, fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }));
const rule: fc.Arbitrary<SplitRule> = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map((parts) => ({ mode: 'parts' as const, parts })),
  fc
    .record({
      size: fc.integer({ min: 1, max: 200 }),
      unit: fc.constantFrom('tokens' as const, 'chars' as const),
    })
    .map((r) => ({ mode: 'size' as const, ...r })),
  fc.integer({ min: 1, max: 10 }).map((lines) => ({ mode: 'lines' as const, lines })),
  fc
    .record({ delimiter: fc.constantFrom('\n\n', '---', ';', 'ab'), records: fc.integer({ min: 1, max: 5 }) })
    .map((r) => ({ mode: 'records' as const, ...r })),
);

describe('splitText', () => {
  it('spans reassemble the input exactly; only the declared overlap repeats', () => {
    fc.assert(
      fc.property(text, rule, fc.integer({ min: 0, max: 30 }), (t, r, overlap) => {
        const { parts, spans } = splitText(t, r, estimateTokenizer, { overlap });
        expect(parts.length).toBeGreaterThanOrEqual(1);
        expect(spans[0]?.[0]).toBe(0);
        expect(spans.at(-1)?.[1]).toBe(t.length);
        expect(reassemble(parts, spans, overlap)).toBe(t);
        for (const [i, p] of parts.entries()) expect(p).toBe(t.slice(...(spans[i] as Span)));
      }),
      { numRuns: 600 },
    );
  });

  it('never cuts inside a word when words are shorter than the room a piece has', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 300 }).map((w) => w.join(' ')),
        fc.oneof(
          fc.integer({ min: 2, max: 10 }).map((parts) => ({ mode: 'parts' as const, parts })),
          fc
            .integer({ min: 20, max: 200 })
            .map((size) => ({ mode: 'size' as const, size, unit: 'chars' as const })),
        ),
        (t, r) => {
          fc.pre(r.mode !== 'parts' || t.length >= r.parts * 20);
          const { spans } = splitText(t, r, estimateTokenizer);
          for (const [, end] of spans) expect(isWordBoundary(t, end), `cut at ${end}`).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps size pieces within the size', () => {
    fc.assert(
      fc.property(
        words,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('tokens' as const, 'chars' as const),
        (t, size, unit) => {
          const { parts } = splitText(t, { mode: 'size', size, unit }, estimateTokenizer);
          // A piece is never smaller than one character (an emoji is two UTF-16 units and two tokens).
          for (const p of parts)
            if ([...p].length > 1)
              expect(unit === 'chars' ? p.length : estimateTokenizer.count(p)).toBeLessThanOrEqual(size);
        },
      ),
    );
  });

  it('splits into k balanced parts at word starts', () => {
    const t = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    const { parts } = splitText(t, { mode: 'parts', parts: 3 }, estimateTokenizer);
    expect(parts).toEqual(['alpha beta gamma delta ', 'epsilon zeta eta theta ', 'iota kappa lambda mu']);
  });

  it('splits by lines and by records, keeping the delimiter with its record', () => {
    expect(splitText('a\nb\nc\nd\ne', { mode: 'lines', lines: 2 }, estimateTokenizer).parts).toEqual([
      'a\nb\n',
      'c\nd\n',
      'e',
    ]);
    expect(
      splitText('r1;r2;r3;', { mode: 'records', delimiter: ';', records: 1 }, estimateTokenizer).parts,
    ).toEqual(['r1;', 'r2;', 'r3;']);
  });

  it('gives one empty piece for the empty text', () => {
    expect(splitText('', { mode: 'parts', parts: 4 }, estimateTokenizer)).toEqual({
      parts: [''],
      spans: [[0, 0]],
    });
  });

  it('cuts before a documentation comment, heading or comment lines, not between them and what they lead', () => {
    const member = (name: string) =>
      `  /**\n   * What ${name} does, in a sentence.\n   *\n   * @param x the input.\n   */\n  ${name}(x: string): string;\n`;
    const code = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map(member).join('');
    for (let size = 200; size <= 420; size += 11) {
      const { parts } = splitText(code, { mode: 'size', size, unit: 'chars' }, estimateTokenizer, {
        lineCuts: true,
      });
      // A member is under half the room: no piece ends inside a comment or between it and its signature.
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts.slice(0, -1)) expect(p.trimEnd().endsWith('(x: string): string;')).toBe(true);
    }
    const prose = 'Some words that run on here.\n## A heading\nThe paragraph under it.\n';
    const { parts } = splitText(prose, { mode: 'size', size: 45, unit: 'chars' }, estimateTokenizer, {
      lineCuts: true,
    });
    expect(parts[0]).toBe('Some words that run on here.\n');
    // A list is not a comment: a cut after a bullet stays there.
    const list = 'Intro line for the list.\n* one item\n* two item\nAfter the list.\n';
    expect(
      splitText(list, { mode: 'size', size: 40, unit: 'chars' }, estimateTokenizer, { lineCuts: true })
        .parts[0],
    ).toBe('Intro line for the list.\n* one item\n');
  });

  it('repeats the overlap from a word start', () => {
    const { parts } = splitText(
      'one two three four five six',
      { mode: 'parts', parts: 2 },
      estimateTokenizer,
      { overlap: 6 },
    );
    expect(parts).toEqual(['one two three ', 'three four five six']);
  });
});

describe('Split in a Fix step', () => {
  it('always returns at least two strictly smaller pieces of a text of two or more characters', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 2, maxLength: 200 }),
        fc.constantFrom('auto', 'lines', 'records', 'parts'),
        fc.integer({ min: 0, max: 50 }),
        (t, mode, overlap) => {
          const ctx = {
            sizing: { kStar: 2, tauStar: 1, depth: 5 },
            tokenizer: estimateTokenizer,
            inFixStep: true,
          };
          const { parts } = runSplit(
            t,
            { mode, parts: 2, lines: 1000, delimiter: '\u0000', records: 1, overlap },
            ctx,
          );
          expect(parts.length).toBeGreaterThanOrEqual(2);
          for (const p of parts) expect(p.length).toBeLessThan(t.length);
        },
      ),
      { numRuns: 400 },
    );
  });
});
