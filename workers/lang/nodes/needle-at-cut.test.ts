import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokenizer } from '../plan/tokenizer.ts';
import { randomDocument } from '../testing/documents.ts';
import { SENTENCE_OVERLAP } from './split.ts';
import { splitText } from './split-text.ts';

const needles = [
  'The special magic number for silver-owl is 4417203.',
  '银色猫头鹰的魔法数字是四四一七二〇三。',
  'Код доступа для серебряной совы — 4417203.',
  '🦉 silver-owl → 4417203 ✨',
];

describe('a fact cut in two is whole in some piece (the automatic overlap of a search plan)', () => {
  it('for a needle at every cut, in any script, with or without spaces', () => {
    fc.assert(
      fc.property(
        randomDocument(20, 300),
        fc.constantFrom(...needles),
        fc.integer({ min: 150, max: 600 }),
        fc.nat(),
        (text, needle, tau, pick) => {
          const rule = { mode: 'size' as const, size: tau, unit: 'tokens' as const };
          const options = { overlap: SENTENCE_OVERLAP, maxTokens: tau };
          const { spans } = splitText(text, rule, estimateTokenizer, options);
          if (spans.length < 2) return;
          // Put the needle across one of the cuts: half of it before, half after.
          const [, cut] = spans[pick % (spans.length - 1)] as [number, number];
          const at = Math.max(0, cut - Math.floor(needle.length / 2));
          const safe = at > 0 && text.charCodeAt(at) >= 0xdc00 && text.charCodeAt(at) <= 0xdfff ? at - 1 : at;
          const withNeedle = `${text.slice(0, safe)}${needle}${text.slice(safe)}`;
          const { parts } = splitText(withNeedle, rule, estimateTokenizer, options);
          expect(parts.some((p) => p.includes(needle))).toBe(true);
          for (const p of parts) expect(estimateTokenizer.count(p)).toBeLessThanOrEqual(tau);
        },
      ),
      { numRuns: 400 },
    );
  });
});
