/**
 * The cases issue 11 reports, as tests: documents and questions the examples were not written for.
 */
import { describe, expect, it, vi } from 'vitest';
import { paragraph } from '../samples/prose.ts';
import { seededRandom } from '../samples/random.ts';
import type { Sample } from '../samples/sample.ts';
import type { GroundTruth } from '../samples/truth.ts';
import { loadExamples } from '../testing/examples.ts';
import { explain, runExample } from '../testing/run-example.ts';

// Whole runs of the examples: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const examples = loadExamples();
const example = (file: string) => examples.find((e) => e.file === file)!;

/** Filler paragraphs of about `chars` characters, joined by blank lines. */
function filler(chars: number, seed: number): string[] {
  const rng = seededRandom(seed);
  const out: string[] = [];
  for (let n = 0; n < chars; ) {
    const p = paragraph(rng);
    out.push(p);
    n += p.length + 2;
  }
  return out;
}

const NEEDLE = 'The special magic number for silver-owl is 4417203.';
const SILVER_OWL = 'What is the special magic number for silver-owl?';
const silverOwl: GroundTruth = { question: SILVER_OWL, facts: [{ evidence: [NEEDLE], answer: '4417203' }] };

describe('S-NIAH on a document it was not written for', () => {
  it('finds the silver-owl magic number in a 400K-character document, reading pieces, within N̂', async () => {
    const paragraphs = filler(400_000, 5);
    paragraphs.splice(Math.floor(paragraphs.length * 0.63), 0, `Later that week. ${NEEDLE} Then rain.`);
    const sample: Sample = {
      text: paragraphs.join('\n\n'),
      query: SILVER_OWL,
      expected: '4417203',
      truth: silverOwl,
    };
    expect(sample.text.length).toBeGreaterThan(400_000);
    const run = await runExample(example('sniah.json'), sample, { contextWindow: 8192 });
    expect(run.score, explain(run)).toBe(1);
    expect(run.outcome.totals.leafCalls).toBeGreaterThan(0);
    expect(run.outcome.totals.leafCalls).toBeLessThanOrEqual(run.predictedCalls);
    expect(run.oversize).toEqual([]);
  });

  it('is not thrown by a sentence near the start that shares the question’s words', async () => {
    const paragraphs = filler(120_000, 6);
    paragraphs[0] = `Nobody knew what number the harbour master had chosen. ${paragraphs[0]}`;
    paragraphs.splice(paragraphs.length - 3, 0, NEEDLE);
    const sample: Sample = {
      text: paragraphs.join('\n\n'),
      query: SILVER_OWL,
      expected: '4417203',
      truth: silverOwl,
    };
    const run = await runExample(example('sniah.json'), sample, { contextWindow: 4096 });
    expect(run.score, explain(run)).toBe(1);
    // The piece with the near miss was read, and found nothing: the answer came from the needle's piece.
    expect(run.model.bases.filter((b) => b === 'absent').length).toBeGreaterThan(0);
    expect(run.model.bases.filter((b) => b === 'fact')).toHaveLength(1);
  });
});

describe('S-NIAH when the question’s words are everywhere but in the answer', () => {
  // "What is the treasury's passphrase?" against "The strongroom opens with the combination 5521.", while
  // the document's first fifth talks of the treasury's passphrase: a filter on the question's words keeps
  // those pieces and drops the answer's (the plan of v0.1 answered "not found"); Find reads them first and
  // the answer's piece after, never dropping it.
  const needle = 'The strongroom opens with the combination 5521.';
  const question = "What is the treasury's passphrase?";
  it('still finds it, within N̂, and says where it read', async () => {
    const text = filler(60_000, 8);
    // The first fifth talks of the treasury; the answer sits far from it.
    const paragraphs = text.map((p, i) =>
      i < text.length / 5 ? `${p} The treasury changed its passphrase every spring.` : p,
    );
    paragraphs.splice(Math.floor(paragraphs.length * 0.7), 0, `A note from the clerk. ${needle}`);
    const sample: Sample = {
      text: paragraphs.join('\n\n'),
      query: question,
      expected: '5521',
      truth: { question, facts: [{ evidence: [needle], answer: '5521' }] },
    };
    const run = await runExample(example('sniah.json'), sample, { contextWindow: 4096 });
    expect(run.score, explain(run)).toBe(1);
    expect(run.outcome.totals.leafCalls).toBeLessThanOrEqual(run.predictedCalls);
    expect(run.oversize).toEqual([]);
  });
});

const STATION = 'In which year did the stargazing station open?';
const OBSERVATORY =
  'The observatory, after long delays and a change of architect, first welcomed visitors in 1843.';

/** Nine documents: eight that use the question's common words, one with the answer past its opening. */
function documents(separator: string): Sample {
  const rng = seededRandom(11);
  const docs: string[] = [];
  for (let i = 0; i < 9; i++) {
    const body = [
      paragraph(rng, 'latin', 4, 6),
      'Which road to open first was the council’s question.',
      paragraph(rng, 'latin', 4, 6),
    ];
    if (i === 6) body.splice(2, 0, OBSERVATORY);
    docs.push([`=== Document ${i + 1}: Notes ===`, ...body].join('\n'));
  }
  return {
    text: docs.join(separator),
    query: STATION,
    expected: '1843',
    truth: { question: STATION, facts: [{ evidence: [OBSERVATORY], answer: '1843' }] },
  };
}

describe('multi-document QA on documents it was not written for', () => {
  it('answers a paraphrased question ("stargazing station … open" for "observatory … welcomed visitors")', async () => {
    const sample = documents('\n\n');
    expect(
      sample.text.indexOf(OBSERVATORY) -
        sample.text.lastIndexOf('=== Document', sample.text.indexOf(OBSERVATORY)),
    ).toBeGreaterThan(400);
    const run = await runExample(example('multidoc-qa.json'), sample, { contextWindow: 4096 });
    expect(run.score, explain(run)).toBe(1);
    expect(run.outcome.result).toBe('1843');
  });

  it('reads documents separated by single line breaks as it reads any others', async () => {
    const run = await runExample(example('multidoc-qa.json'), documents('\n'), { contextWindow: 4096 });
    expect(run.score, explain(run)).toBe(1);
  });

  it('never sends a 238K-character dump with single line breaks to an 8,192-token model in one prompt', async () => {
    const gen = example('multidoc-qa.json').generator;
    const sample = gen.generate({ tokens: 62_000, seed: 3, layout: { separator: 'single', newline: '\n' } });
    expect(sample.text.length).toBeGreaterThan(238_000);
    const run = await runExample(example('multidoc-qa.json'), sample, { contextWindow: 8192 });
    expect(run.score, explain(run)).toBe(1);
    expect(run.oversize).toEqual([]);
    expect(Math.max(...run.model.requests.map((r) => r.messages.at(-1)!.content.length))).toBeLessThan(
      40_000,
    );
  });
});

describe('multi-document QA whose two facts sit in different documents', () => {
  // Two hops, as HotpotQA asks them: one document says which family paid for which building, another, far
  // away, what the question asks about that building. Neither piece answers alone.
  const gen = () => example('multidoc-qa.json').generator;
  const twoHopSeeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    .filter((seed) => gen().generate({ tokens: 600, seed }).truth.facts![0]!.evidence.length === 2)
    .slice(0, 3);

  it('finds the answer from notes gathered in different pieces', async () => {
    expect(twoHopSeeds).toHaveLength(3);
    for (const seed of twoHopSeeds) {
      const sample = gen().generate({ tokens: 16_000, seed, at: 0.1 });
      const [paid, fact] = sample.truth.facts![0]!.evidence as [string, string];
      const run = await runExample(example('multidoc-qa.json'), sample, { contextWindow: 4096 });
      expect(run.score, explain(run)).toBe(1);
      // No piece held both sentences: answering piece by piece could not have found it.
      const pieces = run.model.requests
        .map((r) => r.messages.at(-1)!.content)
        .filter((p) => !p.includes('Notes:'));
      expect(pieces.length).toBeGreaterThan(2);
      expect(pieces.some((p) => p.includes(paid) && p.includes(fact))).toBe(false);
      expect(pieces.some((p) => p.includes(paid))).toBe(true);
      expect(pieces.some((p) => p.includes(fact))).toBe(true);
      expect(run.outcome.totals.leafCalls).toBeLessThanOrEqual(run.predictedCalls);
      expect(run.oversize).toEqual([]);
    }
  });

  it('gives no answer when only one of the two facts is there, rather than a guess among the buildings', async () => {
    for (const seed of twoHopSeeds) {
      const sample = gen().generate({ tokens: 16_000, seed });
      const [paid, fact] = sample.truth.facts![0]!.evidence as [string, string];
      const halved: Sample = { ...sample, text: sample.text.replace(paid, ''), expected: null };
      expect(halved.text.includes(fact)).toBe(true);
      const run = await runExample(example('multidoc-qa.json'), halved, { contextWindow: 4096 });
      expect(run.outcome.error, explain(run)).toBeUndefined();
      expect(run.outcome.absent, explain(run)).toBe(true);
    }
  });

  it('is refused before any call where the gathered notes could overflow the last call’s window', async () => {
    const sample = gen().generate({ tokens: 24_000, seed: twoHopSeeds[0]! });
    await expect(runExample(example('multidoc-qa.json'), sample, { contextWindow: 1024 })).rejects.toThrow(
      /Answer from the notes" could be sent up to [\d,]+ prompt tokens .* over the model's 1,024-token window/,
    );
  });
});

/** TREC questions as the TREC set writes them (spaces before the question mark), with their labels. */
const TREC: [string, string][] = [
  ['How far is it from Denver to Aspen ?', 'numeric value'],
  ['What county is Modesto , California in ?', 'location'],
  ['Who was Galileo ?', 'human being'],
  ['What is an atom ?', 'description and abstract concept'],
  ['When did Hawaii become a state ?', 'numeric value'],
  ['How tall is the Sears Building ?', 'numeric value'],
  ['George Bush purchased a small interest in which baseball team ?', 'human being'],
  ["What is Australia 's national flower ?", 'entity'],
  ['Why does the moon turn orange ?', 'description and abstract concept'],
  ['What is autism ?', 'description and abstract concept'],
  ['What city had a world fair in 1900 ?', 'location'],
  ["What person 's head is on a dime ?", 'human being'],
  ['What is the average weight of a Yellow Labrador ?', 'numeric value'],
  ['Who was the first man to fly across the Pacific Ocean ?', 'human being'],
  ['When did Idaho become a state ?', 'numeric value'],
  ['What is the life expectancy for crickets ?', 'numeric value'],
  ['What metal has the highest melting point ?', 'entity'],
  ['Who developed the vaccination against polio ?', 'human being'],
  ['What does NASA stand for ?', 'abbreviation'],
  ['What is the capital of Mongolia ?', 'location'],
  ['Where is John Wayne airport ?', 'location'],
  ['What are the spots on dominoes called ?', 'entity'],
  ['What is the longest major league baseball-winning streak ?', 'numeric value'],
  ['Which mountain range in North America stretches from Maine to Georgia ?', 'location'],
];

describe('OOLONG on a TREC dump its leaf prompt was not written for', () => {
  it('counts the label the question names, whatever each question’s first word', async () => {
    const lines = Array.from({ length: 20 }, (_, round) =>
      TREC.map(([q], i) => `${round * TREC.length + i + 1}\t${q}`),
    ).flat();
    const records = lines.map((text, i) => ({ text, fields: { label: TREC[i % TREC.length]![1] } }));
    const query = 'How many of the questions above ask for a location?';
    const locations = records.filter((r) => r.fields.label === 'location').length;
    const sample: Sample = {
      text: lines.join('\r\n'),
      query,
      expected: locations,
      truth: {
        question: query,
        records,
        categories: ['location'],
        recordReply: 'counts',
        facts: [{ evidence: [`"location":${locations}`], answer: locations }],
      },
    };
    const run = await runExample(example('oolong.json'), sample, { contextWindow: 1024 });
    expect(run.score, explain(run)).toBe(1);
    expect(run.outcome.result).toBe(String(locations));
  });
});

describe('OOLONG-Pairs with a leaf that answers a JSON object', () => {
  it('fails with ParseFailed instead of reporting pairs of fragments', async () => {
    const ex = example('oolong-pairs.json');
    const sample = ex.generator.generate({ tokens: 4000, seed: 2 });
    // Every labelling call answers an object wrapping its records, as some models do unasked.
    const run = await runExample(ex, sample, {
      contextWindow: 2048,
      rewrite: (text, request) =>
        (request.jsonSchema as { type?: string } | undefined)?.type === 'array'
          ? `{"records": ${text}}`
          : text,
    });
    expect(run.outcome.ok).toBe(false);
    expect(run.outcome.error?.kind).toBe('ParseFailed');
    expect(run.outcome.result).toBeUndefined();
  });
});
