import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scriptedAnswer } from '../../../test/scripted-server/rules.ts';
import { sampleGenerators } from './index.ts';
import { oolongPairsSample } from './oolong-pairs.ts';
import { PROSE_WORDS } from './prose.ts';

const ask = (content: string) => scriptedAnswer([{ role: 'user', content }]).text;

describe('sample generators', () => {
  for (const [name, gen] of Object.entries(sampleGenerators)) {
    it(`${name}: is pure and seeded, sized in tokens, and right about its own answer`, () => {
      const a = gen.generate({ tokens: 2000, seed: 7 });
      const b = gen.generate({ tokens: 2000, seed: 7 });
      const c = gen.generate({ tokens: 2000, seed: 8 });
      expect(a).toEqual(b);
      expect(c.text).not.toBe(a.text);
      expect(a.text.length).toBeGreaterThanOrEqual(8000);
      expect(a.text.length).toBeLessThan(8000 * 1.25);
      expect(gen.isCorrect(a.expected, a.expected)).toBe(true);
      expect(gen.isCorrect('something else', a.expected)).toBe(false);
      expect(gen.example).toMatch(/\.json$/);
    });
  }

  for (const [name, gen] of Object.entries(sampleGenerators)) {
    it(`${name}: reports its progress, rising to the end, without changing the document`, () => {
      const seen: number[] = [];
      const withProgress = gen.generate({ tokens: 20_000, seed: 3, onProgress: (f) => seen.push(f) });
      expect(withProgress).toEqual(gen.generate({ tokens: 20_000, seed: 3 }));
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.length).toBeLessThanOrEqual(101);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
      expect(seen[0]!).toBeGreaterThan(0);
      expect(seen.at(-1)!).toBeGreaterThan(0.95);
      expect(seen.at(-1)!).toBeLessThanOrEqual(1);
    });
  }

  it('builds benchmark sizes (128K tokens) quickly enough to use', () => {
    for (const gen of Object.values(sampleGenerators)) {
      const s = gen.generate({ tokens: 128_000, seed: 1 });
      expect(s.text.length).toBeGreaterThanOrEqual(512_000);
    }
  });

  it('sniah: exactly one needle, and the scripted leaf rule finds its value in the whole text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 100, max: 3000 }), (seed, tokens) => {
        const s = sampleGenerators.sniah!.generate({ tokens, seed });
        expect(s.text.match(/secret code/g)).toHaveLength(1);
        expect(ask(`Find the secret code.\nQuestion: ${s.query}\nText:\n${s.text}`)).toBe(s.expected);
      }),
      { numRuns: 50 },
    );
  });

  it('oolong: the scripted rule over the whole text gives the expected counts', () => {
    const s = sampleGenerators.oolong!.generate({ tokens: 3000, seed: 3 });
    const got = JSON.parse(ask(`Classify each question below.\n${s.text}`));
    expect(sampleGenerators.oolong!.isCorrect(got, s.expected)).toBe(true);
    expect(sampleGenerators.oolong!.isCorrect({ ...got, time: -1 }, s.expected)).toBe(false);
  });

  it('oolong-pairs: 4 to 12 users share the hobby, and the pairs are all i<j pairs of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const s = oolongPairsSample.generate({ tokens: 2000, seed });
        const ids = JSON.parse(
          ask(`List the ids of users whose hobby is ${s.query}. Reply with JSON.\n${s.text}`),
        );
        expect(ids.length).toBeGreaterThanOrEqual(4);
        expect(ids.length).toBeLessThanOrEqual(12);
        expect(s.expected).toHaveLength((ids.length * (ids.length - 1)) / 2);
        expect(s.expected[0]).toEqual([ids[0], ids[1]]);
      }),
      { numRuns: 30 },
    );
  });

  it('multidoc-qa: only the fact sentence shares a word with the question; it is in its document’s preview', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const s = sampleGenerators['multidoc-qa']!.generate({ tokens: 3000, seed });
        const keywords = (s.query.match(/[A-Za-z]{4,}/g) ?? []).map((w) => w.toLowerCase());
        for (const k of keywords) expect(PROSE_WORDS.has(k)).toBe(false);
        expect(
          ask(`Extract the sentences relevant to the question.\nQuestion: ${s.query}\nDocument:\n${s.text}`),
        ).toBe(s.expected);
        const doc = s.text.split('\n\n').find((d) => d.includes(s.expected as string))!;
        expect(doc).toMatch(/^=== Document \d+: [^\n]+ ===\n/);
        expect(doc.indexOf(s.expected as string)).toBeLessThan(400);
      }),
      { numRuns: 30 },
    );
  });

  it('summary: the scripted summary of the whole text begins with the expected sentence', () => {
    const s = sampleGenerators.summary!.generate({ tokens: 1500, seed: 11 });
    const summary = ask(`Summarize the following text.\n\n${s.text}`);
    expect(sampleGenerators.summary!.isCorrect(summary, s.expected)).toBe(true);
  });
});
