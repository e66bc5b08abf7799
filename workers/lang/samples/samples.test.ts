import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPrompt } from '../../../test/scripted-server/reader.ts';
import { occursIn } from '../../../test/scripted-server/text-index.ts';
import { sampleGenerators } from './index.ts';
import { pairsMeeting } from './oolong-pairs.ts';
import type { Sample } from './sample.ts';
import type { GroundTruth } from './truth.ts';

const ask = (content: string, truth: GroundTruth, jsonSchema?: unknown) =>
  readPrompt(
    { messages: [{ role: 'user', content }], ...(jsonSchema ? { jsonSchema } : {}) },
    { truth: [truth] },
  ).text;

/** What a reader who sees the whole document at once answers (the scripted model, given all of it). */
function wholeDocumentAnswer(name: string, s: Sample): unknown {
  const prompt = `${s.query}\n\n${s.text}`;
  switch (name) {
    case 'oolong': {
      const totals = JSON.parse(ask(prompt, s.truth));
      const answer = ask(`${JSON.stringify(totals)}\n${s.query}`, s.truth);
      return answer === 'NOT_FOUND' ? null : answer;
    }
    case 'oolong-pairs': {
      const schema = {
        type: 'array',
        items: { type: 'object', properties: { user: { type: 'string' }, label: { type: 'string' } } },
      };
      const rows = JSON.parse(ask(prompt, s.truth, schema)) as { user: string; label: string }[];
      const condition = s.truth.facts![0]!.answer as { first: string[]; second: string[] };
      const byUser = new Map<string, Set<string>>();
      for (const r of rows) {
        if (!byUser.has(r.user)) byUser.set(r.user, new Set());
        byUser.get(r.user)!.add(r.label);
      }
      return pairsMeeting(byUser, condition.first, condition.second);
    }
    default: {
      const answer = ask(prompt, s.truth);
      return answer === 'NOT_FOUND' ? null : answer;
    }
  }
}

const unixText = (text: string) => text.replace(/\r\n/g, '\n');

describe('sample generators', () => {
  for (const [name, gen] of Object.entries(sampleGenerators)) {
    describe(name, () => {
      it('is pure and seeded, sized in tokens, and scores its own answer right and others wrong', () => {
        const a = gen.generate({ tokens: 2000, seed: 7 });
        const b = gen.generate({ tokens: 2000, seed: 7 });
        const c = gen.generate({ tokens: 2000, seed: 8 });
        expect(a).toEqual(b);
        expect(c.text).not.toBe(a.text);
        expect(a.text.length).toBeGreaterThanOrEqual(7600);
        expect(a.text.length).toBeLessThan(8000 * 1.3);
        const right = name === 'summary' ? (a.expected as { lead: string }).lead : a.expected;
        expect(gen.score(right, a.expected)).toBe(1);
        expect(gen.isCorrect(right, a.expected)).toBe(true);
        expect(gen.score('something else entirely', a.expected)).toBeLessThan(1);
        expect(gen.example).toMatch(/\.json$/);
      });

      it('holds its ground truth verbatim, and a reader of the whole document gets the expected answer', () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 1e6 }),
            fc.integer({ min: 150, max: 4000 }),
            (seed, tokens) => {
              const s = gen.generate({ tokens, seed });
              const text = unixText(s.text);
              if (s.truth.question !== undefined) expect(s.truth.question).toBe(s.query);
              for (const r of s.truth.records ?? []) expect(text).toContain(r.text);
              for (const k of s.truth.keySentences ?? []) expect(text).toContain(k);
              // The evidence of a lookup is in the document (the totals of OOLONG and the question of
              // OOLONG-Pairs are not: a plan derives them).
              if (name !== 'oolong' && name !== 'oolong-pairs')
                for (const f of s.truth.facts ?? []) for (const e of f.evidence) expect(text).toContain(e);
              expect(gen.score(wholeDocumentAnswer(name, s), s.expected)).toBe(1);
            },
          ),
          { numRuns: 25 },
        );
      });

      it('with the evidence left out, holds none of it, and a reader finds no answer', () => {
        if (name === 'summary') return;
        for (let seed = 0; seed < 15; seed++) {
          const s = gen.generate({ tokens: 1500, seed, withoutAnswer: true });
          const text = unixText(s.text);
          if (name === 'oolong' || name === 'oolong-pairs') {
            // No question of a named label at all: counts are zero, and there are no pairs.
            const named = new Set(s.truth.categories);
            expect((s.truth.records ?? []).filter((r) => named.has(r.fields.label!))).toEqual([]);
          } else {
            expect(s.expected).toBeNull();
            for (const f of s.truth.facts ?? []) for (const e of f.evidence) expect(text).not.toContain(e);
            expect(s.truth.records ?? []).toEqual([]);
          }
          expect(gen.score(wholeDocumentAnswer(name, s), s.expected)).toBe(1);
        }
      });

      it('comes in every layout: blank lines, single line breaks, none, and CRLF', () => {
        const seen = { crlf: 0, lf: 0 };
        for (let seed = 0; seed < 40; seed++) {
          const s = gen.generate({ tokens: 800, seed });
          if (s.text.includes('\r\n')) seen.crlf++;
          else seen.lf++;
          expect(s.text.replace(/\r\n/g, '')).not.toContain('\r');
        }
        expect(seen.crlf).toBeGreaterThan(2);
        expect(seen.lf).toBeGreaterThan(seen.crlf);
        for (const separator of ['blank', 'single', 'none'] as const) {
          const s = gen.generate({ tokens: 1500, seed: 3, layout: { separator, newline: '\r\n' } });
          // Prose with no separator at all is one line, so it has no line ending to write.
          if (separator !== 'none' || !['sniah', 'summary', 'classify'].includes(name))
            expect(s.text).toContain('\r\n');
          expect(gen.score(wholeDocumentAnswer(name, s), s.expected)).toBe(1);
        }
      });
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
      expect(s.text.length).toBeGreaterThanOrEqual(500_000);
    }
  });

  it('sniah: several wordings of the needle and the question, in English and Chinese, at any depth', () => {
    const needles = new Set<string>();
    const questions = new Set<string>();
    let chinese = 0;
    for (let seed = 0; seed < 120; seed++) {
      const s = sampleGenerators.sniah!.generate({ tokens: 600, seed });
      needles.add(s.truth.facts![0]!.evidence[0]!.replace(/[\p{L}-]+(?= is| was|的|: |，|=)|\d+/gu, '·'));
      questions.add(s.query.replace(/\s\S+-\S+?(?=[?.]|$)/, ' ·'));
      if (/[\p{Script=Han}]/u.test(s.query)) chinese++;
    }
    expect(needles.size).toBeGreaterThanOrEqual(5);
    expect(questions.size).toBeGreaterThanOrEqual(5);
    expect(chinese).toBeGreaterThan(10);
    const first = sampleGenerators.sniah!.generate({ tokens: 3000, seed: 5, at: 0, script: 'latin' });
    const last = sampleGenerators.sniah!.generate({ tokens: 3000, seed: 5, at: 1, script: 'latin' });
    const needleOf = (s: Sample) => s.truth.facts![0]!.evidence[0]!;
    expect(first.text.indexOf(needleOf(first))).toBeLessThan(200);
    expect(last.text.length - last.text.indexOf(needleOf(last)) - needleOf(last).length).toBeLessThan(200);
  });

  it('sniah: the filler uses the question’s words too, so a filter on them keeps filler', () => {
    let sharing = 0;
    for (let seed = 0; seed < 40; seed++) {
      const s = sampleGenerators.sniah!.generate({ tokens: 4000, seed, script: 'latin' });
      const filler = s.text.replace(s.truth.facts![0]!.evidence[0]!, '').toLowerCase();
      if (['number', 'magic', 'special'].some((w) => filler.includes(w))) sharing++;
    }
    expect(sharing).toBeGreaterThan(30);
  });

  it('multidoc-qa: the question paraphrases the evidence and other documents state similar facts', () => {
    let paraphrased = 0;
    let twoHop = 0;
    for (let seed = 0; seed < 60; seed++) {
      const s = sampleGenerators['multidoc-qa']!.generate({ tokens: 3000, seed });
      const evidence = s.truth.facts![0]!.evidence;
      if (evidence.length === 2) twoHop++;
      const kind = /the (observatory|library|lighthouse|museum|botanical garden|ferry terminal)/i.exec(
        evidence.at(-1)!,
      )![1]!;
      if (!s.query.includes(kind)) paraphrased++;
      // Another building of the same kind is described elsewhere, with another answer.
      expect(s.text.split(kind).length - 1).toBeGreaterThanOrEqual(evidence.length + 1);
    }
    expect(paraphrased).toBe(60);
    expect(twoHop).toBeGreaterThan(15);
    expect(twoHop).toBeLessThan(45);
  });

  it('oolong and oolong-pairs: no record holds another (as the scripted model reads: at word boundaries)', () => {
    for (const name of ['oolong', 'oolong-pairs']) {
      const s = sampleGenerators[name]!.generate({ tokens: 3000, seed: 2 });
      const texts = [...new Set(s.truth.records!.map((r) => r.text))];
      for (const a of texts) for (const b of texts) if (a !== b) expect(occursIn(b, a)).toBe(false);
    }
  });

  it('oolong: a label follows from a question’s meaning, not its first word', () => {
    const s = sampleGenerators.oolong!.generate({ tokens: 8000, seed: 4 });
    const firstWords = new Map<string, Set<string>>();
    for (const r of s.truth.records!) {
      const question = r.text.replace(/^.*Instance: |^\d+\. |^[^"]*"/, '');
      const word = question.split(' ')[0]!;
      if (!firstWords.has(word)) firstWords.set(word, new Set());
      firstWords.get(word)!.add(r.fields.label!);
    }
    expect(firstWords.get('What')?.size).toBeGreaterThanOrEqual(4);
  });
});
