import { describe, expect, it } from 'vitest';
import { type Plan, planSchema } from '../format/plan.ts';
import { estimate } from '../plan/planner.ts';
import { evaluate } from '../run/evaluator.ts';
import type { TraceEvent } from '../run/events.ts';
import type { GroundTruth } from '../samples/truth.ts';
import { logViolations } from '../testing/log-invariants.ts';
import { createScriptedModel } from '../testing/scripted-model.ts';
import { findOrder } from './find.ts';

describe('findOrder', () => {
  it('reads first the items holding more of the question’s words, rare words counting more', () => {
    const items = [
      'the harbour and its boats', // "harbour": in three items
      'the harbour master chose the number', // "harbour" and "master"
      'nothing here',
      'the harbour again',
      'the master of the mill', // "master": in two items
    ];
    expect(findOrder(items, 'What number did the harbour master choose?', 'question-words')).toEqual([
      1, 4, 0, 3, 2,
    ]);
  });

  it('keeps the list’s order when asked to, and when the question has no words to look for', () => {
    const items = ['b', 'a', 'c'];
    expect(findOrder(items, 'anything at all about a?', 'given')).toEqual([0, 1, 2]);
    expect(findOrder(items, 'What is it?', 'question-words')).toEqual([0, 1, 2]);
  });
});

const NEEDLE = 'The strongroom opens with the combination 5521.';
const QUESTION = 'What is the secret code for the vault?';
/** The question's words are everywhere but in the piece that answers it. */
function pieces(n: number, at: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i === at
      ? `A note from the clerk. ${NEEDLE} Then the rain came.`
      : `Piece ${i}: the vault was cold, and a secret was kept by the old guild.`,
  );
}
const truth: GroundTruth = { question: QUESTION, facts: [{ evidence: [NEEDLE], answer: '5521' }] };

function findPlan(params: Record<string, unknown> = {}): Plan {
  return planSchema.parse({
    format: 'fixpoint/plan',
    version: 2,
    name: 'find',
    query: QUESTION,
    nodes: [
      { id: 'in', kind: 'Input', params: {} },
      { id: 'split', kind: 'Split', params: { mode: 'records', delimiter: '\n', records: 1, overlap: 0 } },
      { id: 'find', kind: 'Find', params },
      { id: 'find.in', kind: 'Entry', parent: 'find', slot: 'body', params: {} },
      {
        id: 'ask',
        kind: 'LLM',
        parent: 'find',
        slot: 'body',
        params: {
          template: 'Answer from the text, or reply NOT_FOUND.\n\nQuestion: {{query}}\n\n{{chunk}}',
          maxTokens: 16,
        },
      },
      { id: 'find.out', kind: 'Exit', parent: 'find', slot: 'body', params: {} },
      { id: 'out', kind: 'Output', params: {} },
    ],
    wires: [
      { id: 'w1', from: { node: 'in', port: 'text' }, to: { node: 'split', port: 'text' } },
      { id: 'w2', from: { node: 'split', port: 'parts' }, to: { node: 'find', port: 'items' } },
      { id: 'w3', from: { node: 'find.in', port: 'item' }, to: { node: 'ask', port: 'chunk' } },
      { id: 'w4', from: { node: 'ask', port: 'text' }, to: { node: 'find.out', port: 'result' } },
      { id: 'w5', from: { node: 'find', port: 'result' }, to: { node: 'out', port: 'value' } },
    ],
  });
}

async function runFind(text: string, params: Record<string, unknown>, modelTruth: GroundTruth[] = [truth]) {
  const events: TraceEvent[] = [];
  const model = createScriptedModel({ truth: modelTruth, concurrency: 8 });
  const outcome = await evaluate(findPlan(params), { input: text, model, onEvent: (e) => events.push(e) });
  return { outcome, model, events };
}

describe('Find', () => {
  it('finds an answer worded unlike the question, reading the pieces that hold its words first', async () => {
    const text = pieces(12, 9).join('\n');
    const { outcome, model, events } = await runFind(text, { concurrency: 1 });
    expect(outcome.result).toBe('5521');
    // Eleven pieces share the question's words; the needle's is read last, and nothing after it.
    expect(model.requests).toHaveLength(12);
    expect(model.requests.at(-1)?.messages.at(-1)?.content).toContain(NEEDLE);
    expect(logViolations(events)).toEqual([]);
  });

  it('stops at the first answer: the pieces after it in reading order are not read', async () => {
    const text = pieces(12, 9)
      .map((p, i) => (i === 9 ? `${p} The vault's secret code is what the clerk wrote.` : p))
      .join('\n');
    const { outcome, model } = await runFind(text, { concurrency: 1 });
    expect(outcome.result).toBe('5521');
    // The needle's piece now holds the question's words most ("code" is in no other): it is read first, alone.
    expect(model.requests).toHaveLength(1);
    const inFlight = await runFind(text, { concurrency: 3 });
    expect(inFlight.outcome.result).toBe('5521');
    expect(inFlight.model.requests.length).toBeLessThanOrEqual(3);
  });

  it('gives the earliest answer in reading order, whatever the concurrency', async () => {
    const other = 'The vault also opens with the backup code 7788.';
    const text = pieces(10, 2)
      .map((p, i) => (i === 6 ? `The vault's secret code, some said: ${other}` : p))
      .join('\n');
    const both: GroundTruth[] = [
      truth,
      { question: QUESTION, facts: [{ evidence: [other], answer: '7788' }] },
    ];
    for (const concurrency of [1, 2, 4, 8]) {
      const { outcome } = await runFind(text, { concurrency }, both);
      // Piece 6 holds the question's words and ranks first; piece 2 holds none of them.
      expect(outcome.result, `concurrency ${concurrency}`).toBe('7788');
    }
    const given = await runFind(text, { concurrency: 3, order: 'given' }, both);
    expect(given.outcome.result).toBe('5521');
  });

  it('reads every piece before it says there is no answer, and says so with absent', async () => {
    const text = pieces(7, -1).join('\n');
    const { outcome, model } = await runFind(text, { concurrency: 2 });
    expect(outcome.ok).toBe(true);
    expect(outcome.absent).toBe(true);
    expect(model.requests).toHaveLength(7);
  });

  it('is planned at its worst (every piece read) and expected to stop after its first round', () => {
    const text = pieces(12, 9).join('\n');
    const e = estimate(findPlan({ concurrency: 3 }), { inputText: text, contextWindow: 4096 });
    expect(e.leafCalls).toBe(12);
    expect(e.expected?.calls).toBe(3);
    const byModel = estimate(findPlan({}), { inputText: text, contextWindow: 4096 });
    expect(byModel.expected?.calls).toBe(4);
  });
});
