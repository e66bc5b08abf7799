/**
 * The examples do not depend on their own wording, and never answer confidently without evidence:
 * - with every LLM template paraphrased (other instructions, labels and order; same placeholders, same
 *   declared output format and sentinel), each example still gives the right answer;
 * - with the evidence taken out of the document, the lookup and vote examples find nothing (an absent
 *   result, never a confident wrong answer), OOLONG counts zero or finds no answer, and OOLONG-Pairs
 *   finds no pair.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../format/plan.ts';
import { loadExamples, testWindow } from '../testing/examples.ts';
import { explain, runExample } from '../testing/run-example.ts';

// Whole runs of the examples: seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const examples = loadExamples();

/** Other wordings of each example's LLM templates, by node id. */
const PARAPHRASES: Record<string, Record<string, string>> = {
  'sniah.json': {
    answer:
      'Passage:\n{{chunk}}\n\n---\nQ: {{query}}\nGive only what is asked, taken from the passage above. Nothing there? Write NOT_FOUND.',
  },
  'multidoc-qa.json': {
    notes:
      'You will read a few documents and then a question.\n\n{{chunk}}\n\nThe question was: {{query}}\nQuote the sentences above that help with it, as a JSON list of strings (an empty list if none do).',
    answer:
      'Gathered quotes: {{notes}}\n\nUsing only these, {{query}} Give the answer in as few words as possible, or NOT_FOUND when they do not contain it.',
  },
  'code-qa.json': {
    answer:
      '```\n{{chunk}}\n```\n{{query}}\nIf the code above is enough to choose, write the option letter; if not, write NOT_FOUND.',
  },
  'oolong.json': {
    classify:
      'Q: {{query}}\n\nTally the lines below by the kinds of question just named; give the tallies as JSON.\n\n{{chunk}}',
    answer:
      'Question: {{query}}\nTallies: {{totals}}\nWhat is the answer? Reply NOT_FOUND if the tallies are not enough.',
  },
  'oolong-pairs.json': {
    label:
      '{{chunk}}\n\nFor the question "{{query}}", which of these lines fall under the kinds of question it names? JSON, please.',
    condition: 'Turn this request into its two conditions, as JSON: {{query}}',
  },
  'classify.json': {
    topic: 'Topics: see the question. {{query}}\n\nText:\n{{chunk}}\n\nOne topic name, or NOT_FOUND.',
  },
  'summary.json': {
    leaf: 'Shorten this, keeping what matters most (NOT_FOUND if nothing does):\n\n{{chunk}}',
    combine:
      'Here are partial summaries. Merge them into one short summary (NOT_FOUND if empty):\n\n{{chunk}}',
  },
};

function paraphrased(file: string, plan: Plan): Plan {
  const wording = PARAPHRASES[file] ?? {};
  return {
    ...plan,
    nodes: plan.nodes.map((n) =>
      n.kind === 'LLM' && wording[n.id] ? { ...n, params: { ...n.params, template: wording[n.id] } } : n,
    ),
  };
}

describe('each example with its templates paraphrased', () => {
  it('paraphrases every LLM node of every example', () => {
    for (const ex of examples)
      for (const n of ex.plan.nodes.filter((x) => x.kind === 'LLM'))
        expect(PARAPHRASES[ex.file]?.[n.id], `${ex.file} ${n.id}`).toBeDefined();
  });

  for (const ex of examples)
    it(`${ex.file}: still right`, async () => {
      const plan = paraphrased(ex.file, ex.plan);
      for (const seed of [1, 2, 3]) {
        const sample = ex.generator.generate({ tokens: 6000, seed });
        const run = await runExample(ex, sample, { plan, contextWindow: testWindow(ex, 2048) });
        expect(run.score, explain(run)).toBe(1);
        expect(run.oversize).toEqual([]);
      }
    });
});

describe('each example with the evidence taken out', () => {
  for (const ex of examples) {
    if (ex.generator.name === 'summary') continue;
    it(`${ex.file}: no confident answer`, async () => {
      for (const seed of [1, 2, 3, 4]) {
        const sample = ex.generator.generate({ tokens: 6000, seed, withoutAnswer: true });
        const run = await runExample(ex, sample, { contextWindow: testWindow(ex, 2048) });
        const why = explain(run);
        expect(run.outcome.error, why).toBeUndefined();
        if (sample.expected === null) expect(run.outcome.absent, why).toBe(true);
        else expect(run.score, why).toBe(1);
      }
    });
  }
});
